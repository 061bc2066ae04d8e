using MlNetMnist.Tests.Data;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Tools;

/// <summary>
/// The CLI writing where it cannot: a read-only file system, a full one, a folder it has no
/// permission for. Each is an expected failure: exit 1, one line naming the path and the cause, no
/// stack trace, nothing half-written.
/// </summary>
public sealed class CliStorageTests
{
    private static string SmallDataSet(TempDirectory work)
    {
        var data = Directory.CreateDirectory(work.File("data")).FullName;
        IdxDataSetTests.WriteSmallDataSet(data, gzip: true, trainCount: 1_000, testCount: 200);
        return data;
    }

    private static string[] Train(string data, string output) => ["train", "--preset", "fast", "--epochs", "1", "--data-dir", data, "--threads", "1", "--out", output];

    /// <summary>The error output is exactly one line, the expected one.</summary>
    private static void AssertOneClearLine(CliResult result, string expected)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal([expected], result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.DoesNotContain("   at ", result.AllOutput);
        Assert.DoesNotContain("unexpected", result.AllOutput);
    }

    [Fact]
    public void AReadOnlyOutFolderIsOneClearErrorAndNothingIsWritten()
    {
        using var work = new TempDirectory();
        var data = SmallDataSet(work);
        using var ro = ScratchFileSystem.ReadOnly();
        var run = Path.Combine(ro.Path, "run");

        var result = CliProcess.Run(Train(data, run));

        AssertOneClearLine(result, $"error: {run}: cannot write: read-only file system.");
        Assert.Empty(ro.Entries());
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void AReadOnlyReportFolderFailsAfterTheEvaluationAndKeepsItsFiles()
    {
        using var work = new TempDirectory();
        var data = SmallDataSet(work);
        var built = CliProcess.Run(["run", "--preset", "fast", "--epochs", "1", "--data-dir", data, "--threads", "1", "--out", work.File("run")]);
        Assert.True(built.ExitCode == 0, built.ToString());
        using var ro = ScratchFileSystem.ReadOnly(path => File.WriteAllText(Path.Combine(path, "metrics.json"), "{ \"old\": true }\n"));

        var result = CliProcess.Run(["evaluate", "--model", work.File("run/model.zip"), "--data-dir", data, "--out", ro.Path]);

        Assert.Contains("[evaluate] 200 test images", result.AllOutput); // the write failed after the work was done
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Matches($@"^error: {System.Text.RegularExpressions.Regex.Escape(ro.Path)}/[\w.-]+: cannot write: read-only file system\.$", line);
        AssertOneClearLine(result, line);
        Assert.Equal(["metrics.json"], ro.Entries());
        Assert.Equal("{ \"old\": true }\n", File.ReadAllText(Path.Combine(ro.Path, "metrics.json")));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void AFullFileSystemIsOneClearErrorAndLeavesNoPartialFile()
    {
        using var work = new TempDirectory();
        var data = SmallDataSet(work);
        // Room for the folder and its marker, not for the checkpoint (about 1 MB) written after the epoch.
        using var tiny = ScratchFileSystem.Tiny(256 * 1024);
        var run = Path.Combine(tiny.Path, "run");

        var result = CliProcess.Run(Train(data, run));

        Assert.Matches(@"epoch 1/1: \d+/\d+ batches", result.AllOutput); // the epoch was trained: the disk filled up writing its checkpoint
        AssertOneClearLine(result, $"error: {Path.Combine(run, "checkpoint")}: cannot write: no space left on device.");
        Assert.Empty(tiny.Entries()); // no temporary file, no checkpoint, and the run's empty folder removed
    }

    [Fact]
    public void AFolderWithoutWritePermissionIsOneClearError()
    {
        using var work = new TempDirectory();
        var data = SmallDataSet(work);
        var locked = Directory.CreateDirectory(work.File("locked")).FullName; // root's, 0755: others may not write
        var run = Path.Combine(locked, "run");

        // As user nobody (65534): root may write anywhere, so the refusal needs another user.
        var result = CliProcess.Run(Train(data, run), asUser: 65534);

        AssertOneClearLine(result, $"error: {run}: cannot write: permission denied.");
        Assert.Empty(Directory.GetFileSystemEntries(locked));
    }
}
