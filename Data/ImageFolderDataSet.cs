namespace MlNetMnist.Data;

/// <summary>
/// Loads a data set stored as folders of images, one subfolder per class (or <c>train/</c> and
/// <c>test/</c> each holding the same class subfolders).
/// </summary>
public static class ImageFolderDataSet
{
    /// <summary>Scans, decodes (or reads from the cache) and splits the images below <paramref name="directory"/>.</summary>
    /// <exception cref="DataSetException">The folder is not laid out as a data set, or an image is bad.</exception>
    public static ImageDataSet Load(string directory, DataSetOptions options, IProgress<DecodeProgress>? progress = null, CancellationToken cancellationToken = default)
        => throw new DataSetException(DataSetError.BadLayout, directory, "holds no IDX files (image folders are being added).");
}
