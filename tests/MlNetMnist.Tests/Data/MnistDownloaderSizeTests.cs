using MlNetMnist.Data;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Data;

/// <summary>Servers that send more than the file can be: the downloader takes no more than the catalog allows.</summary>
public sealed class MnistDownloaderSizeTests : IDisposable
{
    private static readonly MnistCatalogEntry Labels = MnistCatalog.Entry(MnistFileKind.TestLabels);
    private static readonly byte[] GoodFile = File.ReadAllBytes(RealMnist.File(MnistFileKind.TestLabels));
    private const long Flood = 64L * 1024 * 1024; // far beyond the limit and any socket buffer
    private readonly TempDirectory _cache = new();

    public void Dispose() => _cache.Dispose();

    private static MnistDownloader Downloader(params Uri[] mirrors) => new(new MnistDownloaderOptions
    {
        Mirrors = mirrors,
        AttemptsPerMirror = 3,
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        StallTimeout = TimeSpan.FromSeconds(30),
    });

    [Fact]
    public void TheLimitIsTheRawSizePlusAMarginAboveAnyGzipOfIt()
    {
        Assert.Equal(10_008, Labels.Length);
        Assert.Equal(10_008 + 100 + 65_536, Labels.MaxDownloadBytes);
        Assert.True(GoodFile.Length < Labels.MaxDownloadBytes);
        foreach (var entry in MnistCatalog.Files)
            Assert.InRange(entry.MaxDownloadBytes, entry.Length + 5 * (entry.Length / 65_535 + 1) + 1_024, entry.Length * 102 / 100 + 65_536);
    }

    [Fact]
    public async Task ABodyWithoutLengthIsCutOffAtTheLimitAndTheMirrorIsNotAskedAgain()
    {
        using var server = new LocalHttpServer((path, _) => path.StartsWith("/endless/")
            ? new ServerResponse.Flood(Flood, AnnounceLength: false) : new ServerResponse.Body(GoodFile));
        using var downloader = Downloader(server.Mirror("endless"), server.Mirror("good"));
        var reports = new List<DownloadProgress>();

        var path = await downloader.DownloadAsync(Labels, _cache.Path, new SynchronousProgress<DownloadProgress>(reports.Add));

        long fromFlood = reports.Where(r => r.Source.AbsolutePath.StartsWith("/endless/")).Max(r => r.BytesReceived);
        Assert.True(fromFlood > Labels.Length, $"only {fromFlood:N0} bytes came from the flood: the limit was never reached");
        Assert.InRange(fromFlood, Labels.Length, Labels.MaxDownloadBytes); // more than the file, never more than the limit
        await server.FloodCutOff.WaitAsync(TimeSpan.FromSeconds(30));     // the client hung up on the server mid-body
        Assert.Equal(1, server.Hits("/endless/" + Labels.FileName));       // an oversized body is not retried
        Assert.Equal(GoodFile, File.ReadAllBytes(path));
        Assert.Equal([Labels.FileName], _cache.FileNames());
    }

    [Fact]
    public async Task AnAnnouncedLengthAboveTheLimitIsRefusedBeforeTheBodyAndNothingIsKept()
    {
        using var server = new LocalHttpServer((_, _) => new ServerResponse.Flood(Flood, AnnounceLength: true));
        using var downloader = Downloader(server.Mirror("huge"));
        var reports = new List<DownloadProgress>();

        var e = await Assert.ThrowsAsync<DataSetException>(() => downloader.DownloadAsync(Labels, _cache.Path, new SynchronousProgress<DownloadProgress>(reports.Add)));

        Assert.Contains($"the server announces {Flood:N0} bytes, but {Labels.FileName} is at most {Labels.MaxDownloadBytes:N0}", e.Message);
        Assert.Empty(reports); // refused from the headers: not one byte of the body was read
        await server.FloodCutOff.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, server.Hits("/huge/" + Labels.FileName));
        Assert.Empty(_cache.FileNames());
    }

    [Fact]
    public async Task ABodyLongerThanTheLimitIsOneClearErrorWhenNoMirrorHasTheFile()
    {
        using var server = new LocalHttpServer((_, _) => new ServerResponse.Flood(Flood, AnnounceLength: false));
        using var downloader = Downloader(server.Mirror("a"), server.Mirror("b"));

        var e = await Assert.ThrowsAsync<DataSetException>(() => downloader.DownloadAsync(Labels, _cache.Path));

        Assert.Equal(DataSetError.DownloadFailed, e.Error);
        Assert.Contains($"the server sent more than {Labels.MaxDownloadBytes:N0} bytes", e.Message);
        Assert.Equal(1, server.Hits("/a/" + Labels.FileName));
        Assert.Equal(1, server.Hits("/b/" + Labels.FileName));
        Assert.Empty(_cache.FileNames());
    }

    [Fact]
    public async Task ACacheThatFillsUpIsAStorageErrorNamingTheFileAndIsNotRetried()
    {
        using var tiny = ScratchFileSystem.Tiny(16 * 1024);
        long body = Labels.MaxDownloadBytes - 1; // within the limit, beyond the disk
        using var server = new LocalHttpServer((_, _) => new ServerResponse.Flood(body, AnnounceLength: true));
        using var downloader = Downloader(server.Mirror("a"), server.Mirror("b"));

        var e = await Assert.ThrowsAsync<StorageException>(() => downloader.DownloadAsync(Labels, tiny.Path));

        Assert.Equal($"{Path.Combine(tiny.Path, Labels.FileName)}: cannot write: no space left on device.", e.Message);
        Assert.Equal(28, e.HResult); // ENOSPC: the disk really filled up
        Assert.Equal(1, server.Hits("/a/" + Labels.FileName)); // a full disk is not the mirror's fault: no retry, no next mirror
        Assert.Equal(0, server.Hits("/b/" + Labels.FileName));
        Assert.Empty(tiny.Entries()); // the partial download is deleted
    }
}
