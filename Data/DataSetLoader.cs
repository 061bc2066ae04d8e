namespace MlNetMnist.Data;

/// <summary>
/// Loads the data set in a folder, whatever it is stored as: IDX files (<see cref="IdxDataSet"/>)
/// or folders of images, one per class (<see cref="ImageFolderDataSet"/>).
/// </summary>
public static class DataSetLoader
{
    /// <summary>Loads the data set in <paramref name="directory"/>.</summary>
    /// <param name="directory">A folder of IDX files, or of class folders (or <c>train/</c> and <c>test/</c> holding them).</param>
    /// <param name="options">How image folders are read; null for the defaults.</param>
    /// <param name="progress">Receives progress while image files are decoded.</param>
    /// <param name="cancellationToken">Stops decoding.</param>
    /// <exception cref="DataSetException">The folder is not a data set, or a file in it is bad.</exception>
    public static ImageDataSet Load(string directory, DataSetOptions? options = null, IProgress<DecodeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new DataSetOptions();
        options.Validate();
        if (!Directory.Exists(directory))
            throw new DataSetException(File.Exists(directory) ? DataSetError.BadLayout : DataSetError.NotFound, directory,
                File.Exists(directory) ? "is a file; --data-dir must name a folder." : "directory not found.");
        return IdxDataSet.LooksLikeIdx(directory)
            ? IdxDataSet.Load(directory)
            : ImageFolderDataSet.Load(directory, options, progress, cancellationToken);
    }
}

/// <summary>Progress of decoding image files.</summary>
/// <param name="Done">Files decoded (or read from the cache) so far.</param>
/// <param name="Total">Files to decode.</param>
/// <param name="FromCache">True when the images come from the cache, not the files.</param>
public sealed record DecodeProgress(int Done, int Total, bool FromCache);
