using System.Diagnostics;

namespace MlNetMnist.Tests.Support;

/// <summary>
/// A tmpfs file system of its own, mounted by the test at a fresh folder and unmounted on dispose:
/// a tiny one that fills up, or a read-only one. Needs root (CAP_SYS_ADMIN) and <c>mount</c>, which
/// <c>.ci/run</c> checks for; a test that cannot mount fails, it does not skip.
/// </summary>
public sealed class ScratchFileSystem : IDisposable
{
    private readonly TempDirectory _parent = new();

    private ScratchFileSystem(string options)
    {
        Path = _parent.File("mnt");
        Directory.CreateDirectory(Path);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", Path);
        Assert.True(code == 0,
            $"mount -t tmpfs -o {options} failed (exit {code}): {output.Trim()}. These tests need root (CAP_SYS_ADMIN) and util-linux's mount; run them through .ci/run.");
    }

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>A writable tmpfs of <paramref name="bytes"/> (rounded up to whole 4 KiB pages).</summary>
    public static ScratchFileSystem Tiny(long bytes) => new($"size={bytes},mode=0777");

    /// <summary>An empty read-only tmpfs.</summary>
    public static ScratchFileSystem ReadOnly() => new("ro,mode=0777");

    /// <summary>A writable tmpfs holding what <paramref name="fill"/> writes, then remounted read-only.</summary>
    public static ScratchFileSystem ReadOnly(Action<string> fill)
    {
        var fs = new ScratchFileSystem("size=64m,mode=0777");
        try
        {
            fill(fs.Path);
            var (code, output) = Run("mount", "-o", "remount,ro", fs.Path);
            Assert.True(code == 0, $"remounting {fs.Path} read-only failed (exit {code}): {output.Trim()}");
            return fs;
        }
        catch
        {
            fs.Dispose();
            throw;
        }
    }

    /// <summary>Bytes still free.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Every file and folder under the mount point, relative to it, sorted.</summary>
    public string[] Entries()
        => Directory.GetFileSystemEntries(Path, "*", SearchOption.AllDirectories).Select(e => System.IO.Path.GetRelativePath(Path, e)).Order().ToArray();

    public void Dispose()
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            if (Run("umount", Path).ExitCode == 0) break;
            Thread.Sleep(250); // a child process may still hold a file open for a moment
        }
        _parent.Dispose();
    }

    private static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, output.Result + error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{file}: {e.Message}");
        }
    }
}
