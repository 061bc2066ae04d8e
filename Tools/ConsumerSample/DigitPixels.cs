using Microsoft.ML.Data;

/// <summary>The model's input: one 28×28 image, row by row, raw gray levels 0 (background) to 255 (ink).</summary>
public sealed class DigitPixels
{
    /// <summary>The 784 pixel values. The column name and size must match the model's input schema.</summary>
    [ColumnName("Pixels")]
    [VectorType(784)]
    public float[] Pixels { get; set; } = [];
}
