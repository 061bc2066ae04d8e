using MlNetMnist.Data;
using MlNetMnist.Tests.Data;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Tools;

/// <summary>The <c>mnist</c> CLI driven as a user drives it: a process, its exit code, its output, its files.</summary>
public sealed class CliTests
{
    private static void AssertNoStackTrace(CliResult result)
        => Assert.DoesNotContain("   at ", result.AllOutput);

    [Fact]
    public void HelpListsEveryCommand()
    {
        var result = CliProcess.Run(["--help"]);
        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "run", "download", "train", "export", "evaluate", "info" })
            Assert.Contains(command, result.StandardOutput);
        var runHelp = CliProcess.Run(["run", "--help"]);
        Assert.Equal(0, runHelp.ExitCode);
        Assert.Contains("--data-dir", runHelp.StandardOutput);
        Assert.Contains("--preset", runHelp.StandardOutput);
    }

    [Theory]
    [InlineData(new[] { "evaluat" }, "Unknown command")]
    [InlineData(new[] { "run", "--epochs", "0" }, "Epochs must be at least 1")]
    [InlineData(new[] { "run", "--preset", "huge" }, "Unknown preset 'huge'")]
    [InlineData(new[] { "run", "--bogus" }, "Unknown option")]
    [InlineData(new[] { "bench-side", "Fastest" }, "Unknown side 'Fastest'")]
    public void AUsageErrorExitsWithTwoAndSaysWhatIsWrong(string[] args, string expected)
    {
        var result = CliProcess.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.StandardError);
        AssertNoStackTrace(result);
    }

    [Fact]
    public void AMissingDataDirectoryIsOneClearErrorAndWritesNothing()
    {
        using var work = new TempDirectory();
        var result = CliProcess.Run(["run", "--data-dir", work.File("no-such-dir"), "--out", work.File("out")]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"error: {work.File("no-such-dir")}: the data directory given does not exist", result.StandardError);
        AssertNoStackTrace(result);
        Assert.False(Directory.Exists(work.File("out")));
    }

    [Fact]
    public void ACorruptedDataFileIsNamedAndNothingIsWritten()
    {
        using var data = new TempDirectory();
        using var work = new TempDirectory();
        IdxDataSetTests.WriteSmallDataSet(data.Path, gzip: true, trainCount: 100, testCount: 50);
        var labels = data.File("train-labels-idx1-ubyte.gz");
        var bytes = File.ReadAllBytes(labels);
        File.WriteAllBytes(labels, bytes[..(bytes.Length / 2)]);

        var result = CliProcess.Run(["run", "--data-dir", data.Path, "--out", work.File("out")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"error: {labels}:", result.StandardError);
        AssertNoStackTrace(result);
        Assert.False(Directory.Exists(work.File("out")));
    }

    [Fact]
    public void ANonEmptyFolderThatIsNotARunIsNotOverwrittenWithoutForce()
    {
        using var work = new TempDirectory();
        File.WriteAllText(work.File("thesis.docx"), "precious");
        var result = CliProcess.Run(["run", "--preset", "fast", "--data-dir", RealMnist.Directory, "--out", work.Path]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--force", result.StandardError);
        Assert.Equal(new[] { "thesis.docx" }, work.FileNames());
    }

    [Fact]
    public void OneSideOfTheTrainingBenchmarkRunsAsAChildProcessAndPrintsItsSpeed()
    {
        foreach (var side in new[] { "BareLoop", "PlainTorchSharp" })
        {
            var result = CliProcess.Run(["bench-side", side, "--preset", "seed", "--images", "1280", "--threads", "2", "--data-dir", RealMnist.Directory, "--quiet"]);
            Assert.True(result.ExitCode == 0, result.ToString());
            using var json = System.Text.Json.JsonDocument.Parse(result.StandardOutput.Trim().Split('\n')[^1]);
            Assert.InRange(json.RootElement.GetProperty("imagesPerSecond").GetDouble(), 100, 1_000_000);
        }
        Assert.DoesNotContain("bench-side", CliProcess.Run(["--help"]).StandardOutput);
    }

    [Fact]
    public void AMissingModelFileIsOneClearError()
    {
        using var work = new TempDirectory();
        var result = CliProcess.Run(["evaluate", "--model", work.File("model.zip"), "--data-dir", RealMnist.Directory]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("model file not found", result.StandardError);
        AssertNoStackTrace(result);
    }

    [Fact]
    public void AShortRunWritesTheRunFolderAndPrintsTheSummary()
    {
        using var work = new TempDirectory();
        var result = CliProcess.Run(["run", "--preset", "fast", "--epochs", "3", "--limit", "3000", "--data-dir", RealMnist.Directory, "--out", work.Path, "--force"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("test accuracy", result.StandardOutput);
        using var run = System.Text.Json.JsonDocument.Parse(File.ReadAllText(work.File("run.json")));
        var epochMemory = run.RootElement.GetProperty("memory").GetProperty("epochWorkingSetBytes").EnumerateArray().Select(e => e.GetInt64()).ToList();
        Assert.Equal(3, epochMemory.Count);
        // The first epoch and its validation pass fill the native allocator's reusable pool
        // (NativeMemoryReuse); from then on the working set must stay flat.
        Assert.True(epochMemory[2] <= epochMemory[1] * 1.05, $"training memory grew: {string.Join(", ", epochMemory)}");
        Assert.Equal(3, run.RootElement.GetProperty("epochs").GetInt32());
        foreach (var file in new[] { "model.onnx", "model.zip", "checkpoint", "run.json" })
            Assert.True(File.Exists(work.File(file)), $"{file} missing\n{result}");
        Assert.DoesNotContain(work.FileNames(), name => name.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARunStoppedWithCtrlCSaysHowToResumeAndTheResumedRunFinishes()
    {
        using var work = new TempDirectory();
        var args = new[] { "train", "--preset", "fast", "--epochs", "3", "--limit", "9000", "--data-dir", RealMnist.Directory, "--out", work.Path, "--force" };
        using (var process = CliProcess.Start(args))
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (!File.Exists(work.File("checkpoint")) && DateTime.UtcNow < deadline && !process.HasExited) Thread.Sleep(50);
            Assert.True(File.Exists(work.File("checkpoint")), "no checkpoint after the first epoch");
            using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString()])) kill.WaitForExit();
            Assert.True(process.WaitForExit(60_000));
            var output = await stdout + await stderr;
            Assert.True(process.ExitCode == 130, output);
            Assert.Contains("--resume", output);
        }

        var resumed = CliProcess.Run(["train", "--out", work.Path, "--resume", "--data-dir", RealMnist.Directory]);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("resuming", resumed.AllOutput);
        Assert.Contains("epoch 3/3", resumed.AllOutput);
    }

    [Fact]
    public void ATrainingKilledWithSigkillResumesToExactlyTheUninterruptedResult()
    {
        using var whole = new TempDirectory();
        using var killed = new TempDirectory();
        string[] common = ["train", "--preset", "fast", "--epochs", "3", "--limit", "6000", "--threads", "2", "--data-dir", RealMnist.Directory, "--force"];
        var uninterrupted = CliProcess.Run([.. common, "--out", whole.Path]);
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.ToString());

        using (var process = CliProcess.Start([.. common, "--out", killed.Path]))
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (!File.Exists(killed.File("checkpoint")) && DateTime.UtcNow < deadline && !process.HasExited) Thread.Sleep(20);
            process.Kill(); // SIGKILL: no chance to clean up
            process.WaitForExit();
        }
        File.WriteAllText(killed.File($".checkpoint.{int.MaxValue - 1}.0123456789abcdef.tmp"), "half-written by a killed process");
        var resumed = CliProcess.Run(["train", "--out", killed.Path, "--resume", "--threads", "2", "--data-dir", RealMnist.Directory]);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var expected = global::MlNetMnist.ModelDefinition.Training.TrainingCheckpoint.ReadState(whole.File("checkpoint")).History;
        var actual = global::MlNetMnist.ModelDefinition.Training.TrainingCheckpoint.ReadState(killed.File("checkpoint")).History;
        Assert.Equal(3, actual.Count);
        Assert.Equal(expected.Select(e => (e.TrainLoss, e.TrainAccuracy, e.ValidationLoss, e.ValidationAccuracy)),
                     actual.Select(e => (e.TrainLoss, e.TrainAccuracy, e.ValidationLoss, e.ValidationAccuracy)));
        Assert.DoesNotContain(killed.FileNames(), name => name.EndsWith(".tmp", StringComparison.Ordinal));
    }
}
