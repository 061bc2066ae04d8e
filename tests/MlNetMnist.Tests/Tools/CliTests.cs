using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Training;
using MlNetMnist.Pipelines.Reports;
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
    [InlineData(new[] { "run", "--ensemble", "0" }, "An ensemble has 1 to 16 members (got 0)")]
    [InlineData(new[] { "train", "--preset", "ensemble", "--ensemble", "17" }, "An ensemble has 1 to 16 members (got 17)")]
    [InlineData(new[] { "run", "--network", "huge" }, "Unknown network 'huge'. Known: ")]
    [InlineData(new[] { "run", "--ensemble", "2", "--network", "wide+huge" }, "Unknown network 'huge'")]
    [InlineData(new[] { "run", "--network", "wide+strided" }, "--network wide+strided names a network per ensemble member, but one network is trained: add --ensemble 2")]
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
    [Trait("Category", "Slow")]
    public void OneSideOfTheTrainingBenchmarkRunsAsAChildProcessAndPrintsItsSpeed()
    {
        foreach (var side in new[] { "BareLoop", "PlainTorchSharp" })
        {
            var result = CliProcess.Run(["bench-side", side, "--preset", "seed", "--images", "1280", "--threads", "2", "--data-dir", RealMnist.Directory, "--quiet"]);
            Assert.True(result.ExitCode == 0, result.ToString());
            using var json = System.Text.Json.JsonDocument.Parse(result.StandardOutput.Trim().Split('\n')[^1]);
            double speed = json.RootElement.GetProperty("imagesPerSecond").GetDouble();
            Assert.True(speed > 0 && double.IsFinite(speed), $"imagesPerSecond = {speed}"); // a figure, not a bound: speed depends on the machine
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
    [Trait("Category", "Slow")]
    public void AShortRunWritesTheRunFolderAndPrintsTheSummary()
    {
        using var work = new TempDirectory();
        var result = CliProcess.Run(["run", "--preset", "fast", "--epochs", "3", "--limit", "3000", "--data-dir", RealMnist.Directory, "--out", work.Path, "--force"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("test accuracy", result.StandardOutput);
        using var run = System.Text.Json.JsonDocument.Parse(File.ReadAllText(work.File("run.json")));
        var memory = run.RootElement.GetProperty("memory");
        Assert.Equal(3, memory.GetProperty("epochWorkingSetBytes").GetArrayLength());
        var nativeHeap = memory.GetProperty("epochNativeHeapBytes").EnumerateArray().Select(e => e.GetInt64()).ToList();
        Assert.Equal(3, nativeHeap.Count);
        // The native heap in use does not count what the allocator keeps for reuse, so it moves only
        // with what is allocated: after the first epoch nothing more may stay. Leaking one batch's
        // activations (tens of MiB) would break this bound on any machine.
        Assert.True(nativeHeap[2] - nativeHeap[0] <= 8 << 20, $"native heap in use after each epoch: {string.Join(", ", nativeHeap)} bytes");
        Assert.Equal(3, run.RootElement.GetProperty("epochs").GetInt32());
        foreach (var file in new[] { "model.onnx", "model.zip", "checkpoint", "run.json" })
            Assert.True(File.Exists(work.File(file)), $"{file} missing\n{result}");
        Assert.DoesNotContain(work.FileNames(), name => name.EndsWith(".tmp", StringComparison.Ordinal));

        // The model is calibrated on the hold-out: run.json, the console and the ONNX metadata say by what.
        var calibration = run.RootElement.GetProperty("calibration");
        double temperature = calibration.GetProperty("temperature").GetDouble();
        Assert.InRange(temperature, 0.25, 0.95); // label smoothing leaves the fast preset's network unsure: it sharpens
        Assert.True(calibration.GetProperty("logLossAfter").GetDouble() < calibration.GetProperty("logLossBefore").GetDouble());
        Assert.Contains("[calibrate] temperature ", result.StandardOutput);
        Assert.Equal(temperature, double.Parse(MlNetMnist.Tests.ModelDefinition.OnnxTestSupport.Metadata(File.ReadAllBytes(work.File("model.onnx")))["temperature"], System.Globalization.CultureInfo.InvariantCulture));
        // The checkpoint keeps the weights as trained: exporting it again fits the same temperature
        // and writes the same model, not one sharpened twice.
        var exported = File.ReadAllBytes(work.File("model.onnx"));
        var export = CliProcess.Run(["export", "--data-dir", RealMnist.Directory, "--out", work.Path]);
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Equal(exported, File.ReadAllBytes(work.File("model.onnx")));
    }

    /// <summary>A line of the plain progress output showing batches of <paramref name="epoch"/> in training.</summary>
    internal static bool IsBatchLine(string line, int epoch, int epochs)
        => line.TrimStart().StartsWith($"epoch {epoch}/{epochs}: ", StringComparison.Ordinal) && line.Contains(" batches, ", StringComparison.Ordinal);

    /// <summary>The last line of an epoch in the plain progress output ("epoch 2/3: loss …").</summary>
    private static bool PrintedEpochEnd(string output, int epoch, int epochs) => output.Contains($"epoch {epoch}/{epochs}: loss ", StringComparison.Ordinal);

    /// <summary>
    /// What a resumed run says it did: the "resuming … after epoch K" notice for the checkpoint the
    /// interrupted run left, then exactly the epochs after K.
    /// </summary>
    private static void AssertResumedAfter(CliResult resumed, string checkpoint, int completed, int epochs)
    {
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains($"resuming {checkpoint} after epoch {completed} of {epochs}", resumed.AllOutput);
        for (int epoch = 1; epoch <= epochs; epoch++)
            Assert.True(PrintedEpochEnd(resumed.AllOutput, epoch, epochs) == epoch > completed,
                $"epoch {epoch} {(epoch > completed ? "not trained" : "trained again")} by the resumed run:\n{resumed}");
    }

    [Fact]
    public void NetworkOverridesThePresetsNetwork()
    {
        using var work = new TempDirectory();
        var result = CliProcess.Run(["train", "--preset", "fast", "--network", "seed", "--epochs", "1", "--limit", "2000", "--threads", "2",
            "--data-dir", RealMnist.Directory, "--out", work.Path, "--force", "--quiet"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var state = TrainingCheckpoint.ReadState(work.File("checkpoint"));
        Assert.Equal("seed", state.Options.Network); // the fast preset trains the default network
        Assert.Equal(TrainingPresets.Get(TrainingPresets.Fast) with { Network = "seed", Epochs = 1, Limit = 2000, Threads = 2 }, state.Options);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void ARunStoppedWithCtrlCSaysHowToResumeAndTheResumedRunFinishes()
    {
        using var work = new TempDirectory();
        const int epochs = 3;
        var args = new[] { "train", "--preset", "fast", "--epochs", $"{epochs}", "--limit", "9000", "--data-dir", RealMnist.Directory, "--out", work.Path, "--force" };
        int completed;
        using (var run = RunningCli.Start(args))
        {
            // Ctrl+C while epoch 2 is training: the first epoch is checkpointed, the last is far off.
            run.WaitForLine(line => IsBatchLine(line, 2, epochs), "a batch line of epoch 2");
            run.Interrupt();
            var stopped = run.WaitForExit();

            Assert.True(stopped.ExitCode == 130, stopped.ToString());
            completed = TrainingCheckpoint.ReadState(work.File("checkpoint")).EpochsCompleted;
            Assert.InRange(completed, 1, epochs - 1); // the signal landed during training, not after it
            Assert.Contains($"stopped after epoch {completed}; the checkpoint is {work.File("checkpoint")}", stopped.AllOutput);
            Assert.Contains($"mnist train --out \"{work.Path}\" --resume", stopped.AllOutput);
            Assert.False(PrintedEpochEnd(stopped.AllOutput, completed + 1, epochs), "the epoch that was interrupted finished anyway");
        }

        var resumed = CliProcess.Run(["train", "--out", work.Path, "--resume", "--data-dir", RealMnist.Directory]);

        AssertResumedAfter(resumed, work.File("checkpoint"), completed, epochs);
        Assert.Equal(epochs, TrainingCheckpoint.ReadState(work.File("checkpoint")).EpochsCompleted);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void ATrainingKilledWithSigkillResumesToExactlyTheUninterruptedResult()
    {
        using var whole = new TempDirectory();
        using var killed = new TempDirectory();
        const int epochs = 3;
        string[] common = ["train", "--preset", "fast", "--epochs", $"{epochs}", "--limit", "6000", "--threads", "2", "--data-dir", RealMnist.Directory, "--force"];
        var uninterrupted = CliProcess.Run([.. common, "--out", whole.Path]);
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.ToString());

        using (var run = RunningCli.Start([.. common, "--out", killed.Path]))
        {
            run.WaitForLine(line => IsBatchLine(line, 2, epochs), "a batch line of epoch 2");
            run.Kill(); // SIGKILL: no chance to clean up
            Assert.Equal(128 + 9, run.WaitForExit().ExitCode); // ended by the signal, not by finishing
        }
        int completed = TrainingCheckpoint.ReadState(killed.File("checkpoint")).EpochsCompleted;
        Assert.InRange(completed, 1, epochs - 1); // the kill landed before the last epoch was saved
        var stale = killed.File($".checkpoint.{int.MaxValue - 1}.0123456789abcdef.tmp");
        File.WriteAllText(stale, "half-written by a killed process");

        var resumed = CliProcess.Run(["train", "--out", killed.Path, "--resume", "--threads", "2", "--data-dir", RealMnist.Directory]);

        AssertResumedAfter(resumed, killed.File("checkpoint"), completed, epochs);
        var expected = TrainingCheckpoint.ReadState(whole.File("checkpoint")).History;
        var actual = TrainingCheckpoint.ReadState(killed.File("checkpoint")).History;
        Assert.Equal(epochs, actual.Count);
        Assert.Equal(expected.Select(e => (e.TrainLoss, e.TrainAccuracy, e.ValidationLoss, e.ValidationAccuracy)),
                     actual.Select(e => (e.TrainLoss, e.TrainAccuracy, e.ValidationLoss, e.ValidationAccuracy)));
        Assert.False(File.Exists(stale), "the temporary file of a killed writer was not deleted");
        Assert.DoesNotContain(killed.FileNames(), name => name.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void AnEnsembleRunKilledInItsSecondMemberResumesThatMemberToExactlyTheUninterruptedModel()
    {
        using var whole = new TempDirectory();
        using var killed = new TempDirectory();
        const int epochs = 2, members = 3;
        string[] common = ["run", "--preset", "fast", "--ensemble", $"{members}", "--epochs", $"{epochs}", "--limit", "8000", "--threads", "2", "--data-dir", RealMnist.Directory, "--force"];
        // 7,000 training images: after the first batch line of the second member's epoch 2, about a
        // second of training remains before its checkpoint is written again, wide enough for the kill
        // on a loaded machine (3,000 images left a third of that).
        var uninterrupted = CliProcess.Run([.. common, "--out", whole.Path]);
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.ToString());

        using (var run = RunningCli.Start([.. common, "--out", killed.Path]))
        {
            bool secondMember = false;
            run.WaitForLine(line => (secondMember |= line.StartsWith($"[member] 2 of {members} ", StringComparison.Ordinal)) && IsBatchLine(line, 2, epochs),
                "a batch line of the second member's epoch 2");
            run.Kill();
            Assert.Equal(128 + 9, run.WaitForExit().ExitCode);
        }
        Assert.Equal(epochs, TrainingCheckpoint.ReadState(killed.File("member0.checkpoint")).EpochsCompleted);
        Assert.Equal(1, TrainingCheckpoint.ReadState(killed.File("member1.checkpoint")).EpochsCompleted); // killed in its last epoch
        Assert.False(File.Exists(killed.File("member2.checkpoint")));
        Assert.False(File.Exists(killed.File("model.onnx")));

        var resumed = CliProcess.Run(["run", "--out", killed.Path, "--resume", "--threads", "2", "--data-dir", RealMnist.Directory]);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains($"[member] 1 of {members} (seed 1): finished in {killed.File("member0.checkpoint")}, loaded", resumed.AllOutput);
        Assert.Contains($"resuming {killed.File("member1.checkpoint")} after epoch 1 of {epochs}", resumed.AllOutput);
        Assert.Equal(1, CountOccurrences(resumed.AllOutput, $"epoch 1/{epochs}: loss ")); // only the third member trains an epoch 1
        for (int member = 0; member < members; member++)
        {
            var expected = TrainingCheckpoint.ReadState(whole.File($"member{member}.checkpoint")).History;
            var actual = TrainingCheckpoint.ReadState(killed.File($"member{member}.checkpoint")).History;
            Assert.Equal(expected.Select(e => (e.TrainLoss, e.ValidationLoss, e.ValidationAccuracy)), actual.Select(e => (e.TrainLoss, e.ValidationLoss, e.ValidationAccuracy)));
        }
        Assert.Equal(File.ReadAllBytes(whole.File("model.onnx")), File.ReadAllBytes(killed.File("model.onnx"))); // the same weights, graph and metadata
        Assert.Equal(MetricsJson.Read(whole.File("metrics.json")).Evaluation.Accuracy, MetricsJson.Read(killed.File("metrics.json")).Evaluation.Accuracy);
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(killed.File("run.json")));
        Assert.Equal([1, 2, 3], manifest.RootElement.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("seed").GetInt32()));
        Assert.Equal("fast", manifest.RootElement.GetProperty("preset").GetString()); // from the checkpoint: the resuming command named none
        Assert.Equal(members * epochs, manifest.RootElement.GetProperty("history").GetArrayLength());
    }

    private static int CountOccurrences(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
