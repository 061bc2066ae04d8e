using MlNetMnist.Data;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Data;

/// <summary><see cref="AtomicFile"/> on file systems that refuse the write: a full one and a read-only one.</summary>
public sealed class AtomicFileStorageTests
{
    [Fact]
    public void AWriteThatFillsTheDiskKeepsTheOldFileAndLeavesNoTemporaryFile()
    {
        using var tiny = ScratchFileSystem.Tiny(64 * 1024);
        var path = Path.Combine(tiny.Path, "model.zip");
        AtomicFile.WriteAllText(path, "the previous version\n");
        long free = tiny.FreeBytes;

        var e = Assert.Throws<StorageException>(() => AtomicFile.WriteAllBytes(path, new byte[1024 * 1024]));

        Assert.True(free < 1024 * 1024, $"the file system has {free:N0} bytes free: the write could not fill it");
        Assert.Equal(28, e.HResult); // ENOSPC, from the kernel: the disk really was full
        Assert.Equal(path, e.FilePath);
        Assert.Equal($"{path}: cannot write: no space left on device.", e.Message);
        Assert.Equal("the previous version\n", File.ReadAllText(path));
        Assert.Equal(["model.zip"], tiny.Entries()); // the half-written temporary file is gone
        Assert.Equal(free, tiny.FreeBytes);
    }

    [Fact]
    public void AWriteToAReadOnlyFileSystemNamesTheFileAndTheCause()
    {
        using var ro = ScratchFileSystem.ReadOnly(path => File.WriteAllText(Path.Combine(path, "metrics.json"), "{}\n"));
        var path = Path.Combine(ro.Path, "metrics.json");
        var direct = Assert.ThrowsAny<IOException>(() => File.WriteAllText(Path.Combine(ro.Path, "probe"), "x"));
        Assert.Equal(30, direct.HResult); // EROFS: the mount really is read-only

        var e = Assert.Throws<StorageException>(() => AtomicFile.WriteAllText(path, "{ \"new\": true }\n"));
        var folder = Assert.Throws<StorageException>(() => AtomicFile.CreateDirectory(Path.Combine(ro.Path, "run")));

        Assert.Equal($"{path}: cannot write: read-only file system.", e.Message);
        Assert.Equal($"{Path.Combine(ro.Path, "run")}: cannot write: read-only file system.", folder.Message);
        Assert.Equal("{}\n", File.ReadAllText(path));
        Assert.Equal(["metrics.json"], ro.Entries());
    }
}
