namespace MlNetMnist.Data;

/// <summary>
/// Finds the MNIST files, in this order: an explicit directory, then the <c>MNIST_DATA_DIR</c>
/// environment variable, then the per-user cache, then a download into that cache.
/// </summary>
public sealed class MnistDataLocator
{
    /// <summary>The environment variable naming a directory that holds the four MNIST files.</summary>
    public const string EnvironmentVariable = "MNIST_DATA_DIR";

    /// <summary>The per-user cache directory; defaults to <see cref="DefaultCacheDirectory"/>.</summary>
    public string CacheDirectory { get; init; } = DefaultCacheDirectory;

    /// <summary>Whether a missing data set may be downloaded into <see cref="CacheDirectory"/>.</summary>
    public bool AllowDownload { get; init; } = true;

    /// <summary>Options for the download, when one is needed.</summary>
    public MnistDownloaderOptions DownloaderOptions { get; init; } = new();

    /// <summary>Reads environment variables; replaceable for tests.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary><c>$XDG_CACHE_HOME/mlnetmnist/mnist</c>, else <c>~/.cache/mlnetmnist/mnist</c>.</summary>
    public static string DefaultCacheDirectory
    {
        get
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var root = !string.IsNullOrEmpty(xdg) ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(root, "mlnetmnist", "mnist");
        }
    }

    /// <summary>Finds (or downloads) the data set and returns its directory and where it came from.</summary>
    /// <param name="explicitDirectory">A directory the user named; when given, nothing else is tried.</param>
    /// <param name="progress">Receives download progress, if a download happens.</param>
    /// <param name="cancellationToken">Cancels a download.</param>
    /// <exception cref="DataSetException">The named directory lacks the files, or nothing was found and the download failed or is not allowed.</exception>
    public async Task<(string Directory, MnistDataOrigin Origin)> LocateAsync(
        string? explicitDirectory, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrEmpty(explicitDirectory))
            return (RequireFiles(explicitDirectory, "the data directory given"), MnistDataOrigin.Explicit);

        var fromEnvironment = GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
            return (RequireFiles(fromEnvironment, $"{EnvironmentVariable}"), MnistDataOrigin.EnvironmentVariable);

        if (MnistCatalog.HasAllFiles(CacheDirectory))
            return (CacheDirectory, MnistDataOrigin.Cache);

        if (!AllowDownload)
            throw new DataSetException(DataSetError.NotFound, CacheDirectory,
                $"no MNIST files here and downloading is off. Pass --data-dir or set {EnvironmentVariable} to a folder holding the four files.");

        using var downloader = new MnistDownloader(DownloaderOptions);
        await downloader.DownloadMissingAsync(CacheDirectory, progress, cancellationToken).ConfigureAwait(false);
        return (CacheDirectory, MnistDataOrigin.Downloaded);
    }

    private static string RequireFiles(string directory, string source)
    {
        if (File.Exists(directory))
            throw new DataSetException(DataSetError.BadLayout, directory, $"{source} is a file; it must name a folder holding a data set.");
        if (!Directory.Exists(directory))
            throw new DataSetException(DataSetError.NotFound, directory, $"{source} does not exist.");
        return Path.GetFullPath(directory); // what the folder holds is checked as it is loaded
    }
}
