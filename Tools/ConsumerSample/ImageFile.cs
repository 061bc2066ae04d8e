using Microsoft.ML.Data;

/// <summary>The input of a model trained on image folders: the path of one image file (PNG, JPEG, …).</summary>
public sealed class ImageFile
{
    /// <summary>The file to classify; model.zip decodes and resizes it itself. The column name must match the model's input schema.</summary>
    [ColumnName("ImagePath")]
    public string ImagePath { get; set; } = "";
}
