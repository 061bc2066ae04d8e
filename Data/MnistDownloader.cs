using System.Net;

namespace MlNetMnist.Data;

/// <summary>
/// Downloads the MNIST files from HTTPS mirrors: mirrors tried in order, transient failures retried
/// with exponential backoff, progress reported, each file written to a temporary file, verified
/// against the catalog's SHA-256 of its decompressed bytes, and only then renamed into place. A file
/// that fails verification is deleted, never used. A response longer than the catalog allows
/// (<see cref="MnistCatalogEntry.MaxDownloadBytes"/>) is refused from its Content-Length, or cut off
/// at the limit when it has none, so a broken or hostile server cannot fill the disk.
/// </summary>
public sealed class MnistDownloader : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsClient;
    private readonly MnistDownloaderOptions _options;

    /// <summary>Creates a downloader with its own <see cref="HttpClient"/>.</summary>
    public MnistDownloader(MnistDownloaderOptions? options = null)
        : this(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, options, ownsClient: true) { }

    /// <summary>Creates a downloader on <paramref name="http"/>, which it does not dispose.</summary>
    public MnistDownloader(HttpClient http, MnistDownloaderOptions? options = null) : this(http, options, ownsClient: false) { }

    private MnistDownloader(HttpClient http, MnistDownloaderOptions? options, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(http);
        _options = options ?? new MnistDownloaderOptions();
        if (_options.Mirrors.Count == 0) throw new ArgumentException("At least one mirror is needed.", nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.AttemptsPerMirror);
        foreach (var mirror in _options.Mirrors)
        {
            if (mirror.Scheme != Uri.UriSchemeHttps && !mirror.IsLoopback)
                throw new ArgumentException($"Mirror {mirror} is not HTTPS; only loopback addresses may use plain HTTP.", nameof(options));
        }
        _http = http;
        _ownsClient = ownsClient;
    }

    /// <summary>Downloads every catalog file missing from <paramref name="directory"/>.</summary>
    /// <exception cref="DataSetException">A file could not be fetched and verified from any mirror.</exception>
    public async Task DownloadMissingAsync(string directory, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        foreach (var entry in MnistCatalog.Files)
        {
            if (MnistCatalog.FindFile(directory, entry) is null)
                await DownloadAsync(entry, directory, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Downloads and verifies one file into <paramref name="directory"/>; returns its path.</summary>
    /// <exception cref="DataSetException">No mirror gave a file that passed verification.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<string> DownloadAsync(MnistCatalogEntry entry, string directory, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        AtomicFile.CreateDirectory(directory);
        var failures = new List<string>();
        foreach (var mirror in _options.Mirrors)
        {
            var url = new Uri(mirror, entry.FileName);
            for (int attempt = 1; attempt <= _options.AttemptsPerMirror; attempt++)
            {
                if (attempt > 1)
                    await Task.Delay(_options.InitialBackoff * Math.Pow(2, attempt - 2), cancellationToken).ConfigureAwait(false);
                var temp = Path.Combine(directory, $".{entry.FileName}.{Guid.NewGuid():N}.download");
                try
                {
                    await FetchAsync(url, entry, temp, Path.Combine(directory, entry.FileName), progress, cancellationToken).ConfigureAwait(false);
                    return Verify(entry, temp, directory);
                }
                catch (PermanentFailure e)
                {
                    failures.Add($"{url}: {e.Message}");
                    break; // this mirror will not do better on a retry
                }
                catch (Exception e) when (IsTransient(e, cancellationToken))
                {
                    failures.Add($"{url} (attempt {attempt}): {Describe(e)}");
                }
                finally
                {
                    AtomicFile.TryDelete(temp);
                }
            }
        }
        throw new DataSetException(DataSetError.DownloadFailed, Path.Combine(directory, entry.FileName),
            "could not be downloaded and verified from any mirror:\n  " + string.Join("\n  ", failures) +
            "\nWithout internet access, copy the four MNIST files into a folder and pass --data-dir or set MNIST_DATA_DIR.");
    }

    private async Task FetchAsync(Uri url, MnistCatalogEntry entry, string temp, string target, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(_options.StallTimeout);
        using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Gone or HttpStatusCode.Unauthorized)
            throw new PermanentFailure($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);

        long limit = entry.MaxDownloadBytes;
        long? total = response.Content.Headers.ContentLength;
        if (total > limit)
            throw new PermanentFailure($"the server announces {total:N0} bytes, but {entry.FileName} is at most {limit:N0} ({entry.Length:N0} uncompressed); not downloaded.");
        await using var body = await response.Content.ReadAsStreamAsync(stall.Token).ConfigureAwait(false);
        // Unbuffered (the reads are 64 KiB already): every write reaches the disk inside Local, so a full disk
        // is always the StorageException, never a flush of leftovers in Dispose that replaces it as it unwinds.
        await using var file = Local(target, () => new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, useAsync: true));
        var buffer = new byte[1 << 16];
        long received = 0;
        progress?.Report(new DownloadProgress(entry.FileName, url, 0, total));
        while (true)
        {
            stall.CancelAfter(_options.StallTimeout);
            int n = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit + 1 - received)), stall.Token).ConfigureAwait(false);
            if (n == 0) break;
            if (received + n > limit)
                throw new PermanentFailure($"the server sent more than {limit:N0} bytes, but {entry.FileName} is at most that ({entry.Length:N0} uncompressed); discarded.");
            await Local(target, () => file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).AsTask()).ConfigureAwait(false);
            received += n;
            progress?.Report(new DownloadProgress(entry.FileName, url, received, total));
        }
        if (total is long expected && received != expected)
            throw new IOException($"the connection closed after {received:N0} of {expected:N0} bytes.");
        await Local(target, async () =>
        {
            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
        }).ConfigureAwait(false);
    }

    /// <summary>Runs a write to the local file, so that a full or read-only disk is a <see cref="StorageException"/> naming <paramref name="target"/>: no mirror does better.</summary>
    private static T Local<T>(string target, Func<T> write)
    {
        try
        {
            return write();
        }
        catch (Exception e) when (e is not StorageException && StorageException.IsStorageFailure(e))
        {
            throw new StorageException(target, e);
        }
    }

    private static async Task Local(string target, Func<Task> write)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not StorageException && StorageException.IsStorageFailure(e))
        {
            throw new StorageException(target, e);
        }
    }

    private static string Verify(MnistCatalogEntry entry, string temp, string directory)
    {
        string sha;
        bool isImages = entry.Kind is MnistFileKind.TrainImages or MnistFileKind.TestImages;
        try
        {
            if (isImages) IdxReader.ReadImages(temp, out sha);
            else IdxReader.ReadLabels(temp, out sha);
        }
        catch (DataSetException e)
        {
            throw new PermanentFailure($"the file received is not valid: {e.Problem}");
        }
        if (sha != entry.Sha256)
            throw new PermanentFailure($"the file received has SHA-256 {sha[..12]}…, not MNIST's {entry.Sha256[..12]}…; discarded.");

        var target = Path.Combine(directory, IsGzip(temp) ? entry.FileName : entry.RawFileName);
        AtomicFile.Commit(temp, target);
        return target;
    }

    private static bool IsGzip(string path)
    {
        using var f = File.OpenRead(path);
        return f.ReadByte() == 0x1f && f.ReadByte() == 0x8b;
    }

    private static bool IsTransient(Exception e, CancellationToken userToken)
        => e is HttpRequestException || (e is IOException && e is not StorageException) || (e is OperationCanceledException && !userToken.IsCancellationRequested);

    private static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "no data arrived within the stall timeout",
        HttpRequestException { StatusCode: { } code } => $"HTTP {(int)code}",
        _ => e.Message,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient) _http.Dispose();
    }

    /// <summary>A failure that retrying the same mirror would repeat.</summary>
    private sealed class PermanentFailure(string message) : Exception(message);
}
