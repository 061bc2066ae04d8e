using MlNetMnist.Data;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Data;

public sealed class MnistDataLocatorTests
{
    private static MnistDataLocator Locator(string cache, string? environment, Uri? mirror = null) => new()
    {
        CacheDirectory = cache,
        GetEnvironmentVariable = name => name == MnistDataLocator.EnvironmentVariable ? environment : null,
        AllowDownload = mirror is not null,
        DownloaderOptions = new MnistDownloaderOptions { Mirrors = mirror is null ? MnistCatalog.Mirrors : [mirror] },
    };

    [Fact]
    public async Task AnExplicitDirectoryComesFirst()
    {
        using var cache = new TempDirectory();
        var (dir, origin) = await Locator(cache.Path, "/nonexistent").LocateAsync(RealMnist.Directory);
        Assert.Equal(Path.GetFullPath(RealMnist.Directory), dir);
        Assert.Equal(MnistDataOrigin.Explicit, origin);
    }

    [Fact]
    public async Task TheEnvironmentVariableComesNext()
    {
        using var cache = new TempDirectory();
        var (dir, origin) = await Locator(cache.Path, RealMnist.Directory).LocateAsync(null);
        Assert.Equal(Path.GetFullPath(RealMnist.Directory), dir);
        Assert.Equal(MnistDataOrigin.EnvironmentVariable, origin);
    }

    [Fact]
    public async Task AnExplicitDirectoryIsTakenAsItIsAndLoadingItNamesWhatIsMissing()
    {
        using var cache = new TempDirectory();
        using var empty = new TempDirectory();
        var (dir, origin) = await Locator(cache.Path, RealMnist.Directory).LocateAsync(empty.Path);
        Assert.Equal(MnistDataOrigin.Explicit, origin);
        Assert.Equal(empty.Path, dir);
        File.WriteAllBytes(Path.Combine(empty.Path, "t10k-images-idx3-ubyte.gz"), File.ReadAllBytes(RealMnist.File(MnistFileKind.TestImages)));
        var e = Assert.Throws<DataSetException>(() => DataSetLoader.Load(dir));
        Assert.Equal(DataSetError.FileMissing, e.Error);
        Assert.Contains("train images, train labels, test labels", e.Message);
        Assert.Contains("train-images-idx3-ubyte.gz", e.Message);
    }

    [Fact]
    public async Task AnExplicitPathThatIsMissingOrAFileIsAnError()
    {
        using var cache = new TempDirectory();
        using var dir = new TempDirectory();
        var missing = await Assert.ThrowsAsync<DataSetException>(() => Locator(cache.Path, null).LocateAsync(dir.File("nothing")));
        Assert.Equal(DataSetError.NotFound, missing.Error);
        File.WriteAllText(dir.File("a-file"), "x");
        var file = await Assert.ThrowsAsync<DataSetException>(() => Locator(cache.Path, null).LocateAsync(dir.File("a-file")));
        Assert.Contains("is a file", file.Message);
    }

    [Fact]
    public async Task TheCacheIsUsedWhenItHoldsTheFiles()
    {
        using var cache = new TempDirectory();
        IdxDataSetTests.WriteSmallDataSet(cache.Path, gzip: true, trainCount: 10, testCount: 10);
        var (dir, origin) = await Locator(cache.Path, null).LocateAsync(null);
        Assert.Equal(cache.Path, dir);
        Assert.Equal(MnistDataOrigin.Cache, origin);
    }

    [Fact]
    public async Task WithNothingFoundTheRealDataSetIsDownloadedIntoTheCacheAndVerified()
    {
        using var cache = new TempDirectory();
        using var server = new LocalHttpServer((path, _) =>
            new ServerResponse.Body(File.ReadAllBytes(Path.Combine(RealMnist.Directory, Path.GetFileName(path)))));

        var (dir, origin) = await Locator(cache.Path, null, server.Mirror("mnist")).LocateAsync(null);

        Assert.Equal(MnistDataOrigin.Downloaded, origin);
        Assert.Equal(MnistCatalog.Files.Select(f => f.FileName).Order(), cache.FileNames());
        Assert.True(IdxDataSet.Load(dir).Description.IsVerifiedMnist);
    }

    [Fact]
    public async Task WithNothingFoundAndDownloadOffTheErrorSaysWhatToDo()
    {
        using var cache = new TempDirectory();
        var e = await Assert.ThrowsAsync<DataSetException>(() => Locator(cache.Path, null).LocateAsync(null));
        Assert.Equal(DataSetError.NotFound, e.Error);
        Assert.Contains(MnistDataLocator.EnvironmentVariable, e.Message);
    }
}
