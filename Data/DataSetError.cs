namespace MlNetMnist.Data;

/// <summary>What is wrong with a data file; carried by <see cref="DataSetException"/>.</summary>
public enum DataSetError
{
    /// <summary>The file does not exist (or a directory stands where the file should be).</summary>
    FileMissing,
    /// <summary>The file has no bytes at all.</summary>
    EmptyFile,
    /// <summary>The file is named <c>.gz</c> but is not gzip data, or its gzip data is corrupt.</summary>
    BadCompression,
    /// <summary>The magic number is not that of an IDX file of the expected kind.</summary>
    BadMagic,
    /// <summary>The IDX header declares a rank other than the expected one.</summary>
    BadRank,
    /// <summary>A dimension is zero, negative or too large, or images are outside the supported sizes.</summary>
    BadDimensions,
    /// <summary>The file holds fewer bytes than its header promises.</summary>
    Truncated,
    /// <summary>The file holds more bytes than its header promises.</summary>
    TrailingData,
    /// <summary>A label is outside the class count.</summary>
    LabelOutOfRange,
    /// <summary>The image and label files of one split disagree on the number of examples.</summary>
    CountMismatch,
    /// <summary>The file's content does not match the data-set catalog's SHA-256.</summary>
    HashMismatch,
    /// <summary>The file could not be read (permissions, I/O error).</summary>
    Unreadable,
    /// <summary>No data set could be found or downloaded.</summary>
    NotFound,
    /// <summary>A download failed on every mirror.</summary>
    DownloadFailed,
    /// <summary>A folder is not laid out as a data set (IDX pairs, or one subfolder per class).</summary>
    BadLayout,
    /// <summary>A class folder holds no images, or the data set has fewer than two classes.</summary>
    TooFewImages,
    /// <summary>An image file cannot be decoded, or is not the image its extension says.</summary>
    BadImage,
    /// <summary>The training and test splits name different classes.</summary>
    ClassMismatch,
    /// <summary><c>classes.txt</c> does not name one class per label.</summary>
    BadClassNames,
    /// <summary>An option is outside what a data set supports (for example the image size).</summary>
    BadOption,
}
