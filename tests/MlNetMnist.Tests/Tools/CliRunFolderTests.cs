using System.Globalization;
using System.Text.Json;
using MlNetMnist.Tests.Data;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Tools;

/// <summary>Which folder a run writes: never one another run has, whatever the timing.</summary>
public sealed class CliRunFolderTests
{
    private const string Marker = ".mnist-run";

    /// <summary>A small real data set (1,000 training and 200 test images) so that whole runs take seconds.</summary>
    private static string SmallDataSet(TempDirectory work)
    {
        var data = Directory.CreateDirectory(work.File("data")).FullName;
        IdxDataSetTests.WriteSmallDataSet(data, gzip: true, trainCount: 1_000, testCount: 200);
        return data;
    }

    private static string[] RunArgs(string data) => ["run", "--preset", "fast", "--epochs", "1", "--data-dir", data, "--threads", "1", "--json"];

    private static string FolderOf(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.StandardOutput.Trim().Split('\n')[^1]);
        return json.RootElement.GetProperty("folder").GetString()!;
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task RunsStartedInTheSameSecondGetFoldersOfTheirOwnAndLatestPointsAtANewOne()
    {
        using var work = new TempDirectory();
        var data = SmallDataSet(work);
        var runs = Directory.CreateDirectory(work.File("runs")).FullName;
        // Every name a run could pick from its clock in the next 15 minutes is already another run's
        // folder: one with a marker (a run of this version, maybe still going) or one with only a
        // checkpoint (made before markers). Both runs below collide with one of them, and with each other.
        var taken = new Dictionary<string, string>();
        var now = DateTime.Now;
        for (int offset = -5; offset < 900; offset++)
        {
            var name = now.AddSeconds(offset).ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            var folder = Directory.CreateDirectory(Path.Combine(runs, name)).FullName;
            var file = Path.Combine(folder, offset % 2 == 0 ? Marker : "checkpoint");
            File.WriteAllText(file, $"another run's {name}\n");
            taken[file] = File.ReadAllText(file);
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => CliProcess.Run(RunArgs(data), timeout: TimeSpan.FromMinutes(5), workingDirectory: work.Path))));

        var folders = results.Select(FolderOf).ToList();
        Assert.NotEqual(folders[0], folders[1]);
        foreach (var folder in folders)
        {
            Assert.Equal(runs, Path.GetDirectoryName(folder));
            // The folder named by the clock was taken, so the run took the next free suffix.
            Assert.Matches(@"^\d{8}-\d{6}-\d+$", Path.GetFileName(folder));
            foreach (var file in new[] { Marker, "checkpoint", "model.onnx", "model.zip", "run.json", "metrics.json" })
                Assert.True(File.Exists(Path.Combine(folder, file)), $"{folder} lacks {file}");
        }
        foreach (var (file, content) in taken)
        {
            Assert.Equal(content, File.ReadAllText(file));
            Assert.Single(Directory.GetFileSystemEntries(Path.GetDirectoryName(file)!));
        }
        var latest = new DirectoryInfo(Path.Combine(runs, "latest"));
        Assert.NotNull(latest.LinkTarget);
        Assert.Contains(Path.Combine(runs, latest.LinkTarget!), folders);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void AnExistingRunFolderIsWrittenOnlyWithResumeOrForce()
    {
        using var work = new TempDirectory();
        var data = SmallDataSet(work);
        var run = work.File("run");
        string[] train = ["train", "--preset", "fast", "--epochs", "1", "--data-dir", data, "--threads", "1", "--out", run];
        var first = CliProcess.Run(train);
        Assert.True(first.ExitCode == 0, first.ToString());
        var before = Directory.GetFiles(run).ToDictionary(f => f, File.ReadAllBytes);
        Assert.Contains(Path.Combine(run, Marker), before.Keys);

        var again = CliProcess.Run(train);

        Assert.Equal(1, again.ExitCode);
        Assert.Contains($"error: {run}: holds a previous run", again.StandardError);
        Assert.Contains("--resume", again.StandardError);
        Assert.DoesNotContain("   at ", again.AllOutput);
        Assert.Equal(before.Keys.Order(), Directory.GetFiles(run).Order());
        foreach (var (file, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(file));

        // A folder holding only the marker is a run in progress (it has not written its first
        // checkpoint yet): refused just the same.
        var starting = Directory.CreateDirectory(work.File("starting")).FullName;
        File.WriteAllText(Path.Combine(starting, Marker), "a run that has just started\n");
        var intoStarting = CliProcess.Run([.. train[..^1], starting]);
        Assert.Equal(1, intoStarting.ExitCode);
        Assert.Contains("holds a previous run", intoStarting.StandardError);
        Assert.Single(Directory.GetFileSystemEntries(starting));

        var written = File.GetLastWriteTimeUtc(Path.Combine(run, "checkpoint"));
        var forced = CliProcess.Run([.. train, "--force"]);
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.True(File.GetLastWriteTimeUtc(Path.Combine(run, "checkpoint")) > written, "--force did not write the checkpoint again");
    }

    [Fact]
    public void ARunThatFailsBeforeWritingAnythingLeavesNoFolderBehind()
    {
        using var work = new TempDirectory();
        var result = CliProcess.Run(["train", "--data-dir", work.File("no-such-data")], workingDirectory: work.Path);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not exist", result.StandardError);
        // The run claimed runs/<timestamp> before looking for the data; nothing was written, so it is gone.
        Assert.Empty(Directory.GetFileSystemEntries(work.File("runs")));
    }
}
