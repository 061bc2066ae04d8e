using MlNetMnist.Data;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Data;

/// <summary>Downloads of the real (small) MNIST test-label file from a server on 127.0.0.1.</summary>
public sealed class MnistDownloaderTests : IDisposable
{
    internal static readonly MnistCatalogEntry Labels = MnistCatalog.Entry(MnistFileKind.TestLabels);
    internal static readonly byte[] GoodFile = File.ReadAllBytes(RealMnist.File(MnistFileKind.TestLabels));
    private readonly TempDirectory _cache = new();

    public void Dispose() => _cache.Dispose();

    internal static MnistDownloader Downloader(params Uri[] mirrors) => new(new MnistDownloaderOptions
    {
        Mirrors = mirrors,
        AttemptsPerMirror = 3,
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        StallTimeout = TimeSpan.FromSeconds(15), // generous: a busy CI machine must not look like a stall
    });

    private static byte[] CorruptedFile()
    {
        // A valid gzip IDX label file with one label changed: well-formed, but not MNIST.
        var labels = IdxReader.ReadLabels(RealMnist.File(MnistFileKind.TestLabels));
        labels[100] = (labels[100] + 1) % 10;
        using var dir = new TempDirectory();
        IdxWriter.WriteLabels(dir.File("x.gz"), labels);
        return File.ReadAllBytes(dir.File("x.gz"));
    }

    [Fact]
    public async Task AGoodFileIsVerifiedAndStoredWithProgressReported()
    {
        using var server = new LocalHttpServer((_, _) => new ServerResponse.Body(GoodFile));
        using var downloader = Downloader(server.Mirror("a"));
        var reports = new List<DownloadProgress>();

        var path = await downloader.DownloadAsync(Labels, _cache.Path, new SynchronousProgress<DownloadProgress>(reports.Add));

        Assert.Equal(_cache.File(Labels.FileName), path);
        Assert.Equal(GoodFile, File.ReadAllBytes(path));
        Assert.Equal(new[] { Labels.FileName }, _cache.FileNames());
        Assert.Equal(GoodFile.Length, reports[^1].BytesReceived);
        Assert.Equal(GoodFile.Length, reports[^1].TotalBytes);
        Assert.True(reports.Select(r => r.BytesReceived).SequenceEqual(reports.Select(r => r.BytesReceived).Order()));
    }

    [Fact]
    public async Task ACorruptedFileIsDiscardedAndTheNextMirrorIsUsed()
    {
        var corrupted = CorruptedFile();
        using var server = new LocalHttpServer((path, _) => path.StartsWith("/bad/")
            ? new ServerResponse.Body(corrupted) : new ServerResponse.Body(GoodFile));
        using var downloader = Downloader(server.Mirror("bad"), server.Mirror("good"));

        var path = await downloader.DownloadAsync(Labels, _cache.Path);

        Assert.Equal(GoodFile, File.ReadAllBytes(path));
        Assert.Equal(1, server.Hits("/bad/" + Labels.FileName)); // a bad body is not retried on the same mirror
        Assert.Equal(new[] { Labels.FileName }, _cache.FileNames());
    }

    [Fact]
    public async Task ATruncatedTransferIsRetriedOnTheSameMirror()
    {
        using var server = new LocalHttpServer((_, hit) => hit == 0
            ? new ServerResponse.Body(GoodFile, SendOnly: GoodFile.Length / 3)
            : new ServerResponse.Body(GoodFile));
        using var downloader = Downloader(server.Mirror("a"));

        var path = await downloader.DownloadAsync(Labels, _cache.Path);

        Assert.Equal(GoodFile, File.ReadAllBytes(path));
        Assert.Equal(2, server.Hits("/a/" + Labels.FileName));
    }

    [Fact]
    public async Task ServerErrorsAreRetriedWithBackoff()
    {
        using var server = new LocalHttpServer((_, hit) => hit < 2 ? new ServerResponse.Status(503) : new ServerResponse.Body(GoodFile));
        using var downloader = Downloader(server.Mirror("a"));

        await downloader.DownloadAsync(Labels, _cache.Path);

        Assert.Equal(3, server.Hits("/a/" + Labels.FileName));
    }

    /// <summary>A stall is noticed only by the stall timeout, which must stay short here; the other mirror gets retries, so a busy machine's pause there is survived.</summary>
    private static MnistDownloader ImpatientDownloader(params Uri[] mirrors) => new(new MnistDownloaderOptions
    {
        Mirrors = mirrors,
        AttemptsPerMirror = 3,
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        StallTimeout = TimeSpan.FromSeconds(2),
    });

    [Fact]
    public async Task AStalledServerTimesOutAndTheNextMirrorIsUsed()
    {
        // The slow mirror stalls for as long as the client waits, then (retried) answers 404.
        using var server = new LocalHttpServer((path, hit) => !path.StartsWith("/slow/") ? new ServerResponse.Body(GoodFile)
            : hit == 0 ? new ServerResponse.Stall(GoodFile) : new ServerResponse.Status(404));
        using var downloader = ImpatientDownloader(server.Mirror("slow"), server.Mirror("fast"));

        var path = await downloader.DownloadAsync(Labels, _cache.Path);

        Assert.Equal(GoodFile, File.ReadAllBytes(path));
        await server.StallAbandoned.WaitAsync(TimeSpan.FromMinutes(1)); // the downloader gave up the stalled response itself
        Assert.Equal(2, server.Hits("/slow/" + Labels.FileName));       // as a transient failure: retried on the same mirror
    }

    [Fact]
    public async Task AServerThatStallsForeverIsReportedAsAStall()
    {
        using var server = new LocalHttpServer((_, _) => new ServerResponse.Stall(GoodFile));
        using var downloader = new MnistDownloader(new MnistDownloaderOptions { Mirrors = [server.Mirror("a")], AttemptsPerMirror = 1, StallTimeout = TimeSpan.FromSeconds(2) });

        var e = await Assert.ThrowsAsync<DataSetException>(() => downloader.DownloadAsync(Labels, _cache.Path));

        await server.StallAbandoned.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Contains("(attempt 1): no data arrived within the stall timeout", e.Message);
        Assert.Empty(_cache.FileNames());
    }

    [Fact]
    public async Task WhenEveryMirrorFailsTheErrorListsEachAndNothingIsKept()
    {
        var corrupted = CorruptedFile();
        using var server = new LocalHttpServer((path, _) => path.StartsWith("/missing/")
            ? new ServerResponse.Status(404) : new ServerResponse.Body(corrupted));
        using var downloader = Downloader(server.Mirror("missing"), server.Mirror("corrupt"));

        var e = await Assert.ThrowsAsync<DataSetException>(() => downloader.DownloadAsync(Labels, _cache.Path));

        Assert.Equal(DataSetError.DownloadFailed, e.Error);
        Assert.Contains("HTTP 404", e.Message);
        Assert.Contains("SHA-256", e.Message);
        Assert.Contains("--data-dir", e.Message);
        Assert.Empty(_cache.FileNames());
    }

    [Fact]
    public async Task CancellationStopsTheDownloadAndLeavesNoFile()
    {
        using var server = new LocalHttpServer((_, _) => new ServerResponse.Stall(GoodFile));
        using var downloader = new MnistDownloader(new MnistDownloaderOptions { Mirrors = [server.Mirror("a")], StallTimeout = TimeSpan.FromMinutes(5) });
        using var cancel = new CancellationTokenSource();

        var download = downloader.DownloadAsync(Labels, _cache.Path, cancellationToken: cancel.Token);
        await server.StallStarted.WaitAsync(TimeSpan.FromMinutes(1)); // the download is under way: headers and the first bytes arrived
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => download);
        await server.StallAbandoned.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(1, server.Hits("/a/" + Labels.FileName)); // cancelled, not retried
        Assert.Empty(_cache.FileNames());
    }

    [Fact]
    public void PlainHttpMirrorsAreRefusedExceptOnLoopback()
    {
        Assert.Throws<ArgumentException>(() => new MnistDownloader(new MnistDownloaderOptions { Mirrors = [new Uri("http://example.org/mnist/")] }));
        Assert.All(MnistCatalog.Mirrors, m => Assert.Equal("https", m.Scheme));
    }
}
