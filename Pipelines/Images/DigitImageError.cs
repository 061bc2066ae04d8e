namespace MlNetMnist.Pipelines.Images;

/// <summary>What is wrong with an image file; carried by <see cref="DigitImageException"/>.</summary>
public enum DigitImageError
{
    /// <summary>The file does not exist (or a directory stands where the file should be).</summary>
    FileMissing,
    /// <summary>The file could not be read (permissions, I/O error).</summary>
    Unreadable,
    /// <summary>The file or stream has no bytes at all.</summary>
    EmptyFile,
    /// <summary>The bytes are not an image of a known format (PNG, JPEG, BMP, GIF, WebP) (for example a text file renamed <c>.png</c>).</summary>
    NotAnImage,
    /// <summary>The file starts like an image but is truncated, or its header or pixels cannot be decoded.</summary>
    Corrupt,
    /// <summary>The file is larger than <see cref="DigitImageLoader.MaxFileBytes"/> or the image has a side longer than <see cref="DigitImageLoader.MaxSide"/> pixels.</summary>
    TooLarge,
    /// <summary>The image has no ink: nothing stands out from the background.</summary>
    Blank,
}
