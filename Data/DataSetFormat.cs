namespace MlNetMnist.Data;

/// <summary>What a data set is stored as, and therefore what its models take as input.</summary>
public enum DataSetFormat
{
    /// <summary>IDX files (MNIST's format): models take raw pixel values (<c>Pixels</c>, C·H·W floats 0–255).</summary>
    Idx,

    /// <summary>Folders of image files, one per class: models take an image file's path (<c>ImagePath</c>).</summary>
    ImageFolder,
}
