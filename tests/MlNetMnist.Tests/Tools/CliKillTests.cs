using System.IO.Compression;
using System.Text.Json;
using MlNetMnist.Data;
using MlNetMnist.Pipelines;
using MlNetMnist.Pipelines.Reports;
using MlNetMnist.Tests.Support;
using SkiaSharp;
using Xunit.Abstractions;

namespace MlNetMnist.Tests.Tools;

/// <summary>
/// <c>mnist run</c> killed with SIGKILL over a finished run at moments the run reports: a stage
/// line, or the middle of writing a given file (held there by <c>MLNETMNIST_HOLD_WRITE</c>). After
/// every kill each file in the folder is the old one or a new one, whole; the temporary file of the
/// write that was interrupted is left, and the next run deletes it.
/// </summary>
public sealed class CliKillTests(ITestOutputHelper log)
{
    private const string HoldVariable = "MLNETMNIST_HOLD_WRITE";

    /// <summary>A moment to kill at: a line the run prints, or a file it is in the middle of writing.</summary>
    private sealed record Moment(string Name, string? Line = null, string? WritingFile = null);

    private static readonly Moment[] Moments =
    [
        new("loading the data", Line: "[run] "),
        new("training", Line: "[train] "),
        new("writing the checkpoint", WritingFile: "checkpoint"),
        new("writing model.onnx", WritingFile: "model.onnx"),
        new("writing model.zip", WritingFile: "model.zip"),
        new("writing metrics.json", WritingFile: "metrics.json"),
        new("writing a PNG", WritingFile: "misclassified.png"),
        new("writing report.html", WritingFile: "report.html"),
        new("writing run.json", WritingFile: "run.json"),
    ];

    [Fact]
    [Trait("Category", "Slow")]
    public void KillingARunAtAnyMomentLeavesOnlyCompleteFiles()
    {
        using var work = new TempDirectory();
        string[] args = ["run", "--preset", "fast", "--epochs", "1", "--limit", "3000", "--data-dir", RealMnist.Directory, "--out", work.Path, "--force"];
        var first = CliProcess.Run(args);
        Assert.True(first.ExitCode == 0, first.ToString());
        var finished = work.FileNames();
        AssertEveryFileIsComplete(work);

        foreach (var moment in Moments)
        {
            var before = work.FileNames().ToDictionary(name => name, name => File.ReadAllBytes(work.File(name)));
            int pid;
            using (var run = RunningCli.Start(args, moment.WritingFile is null ? null : new Dictionary<string, string?> { [HoldVariable] = moment.WritingFile }))
            {
                pid = run.Id;
                run.WaitForLine(line => moment.Line is not null
                    ? line.StartsWith(moment.Line, StringComparison.Ordinal)
                    : line.StartsWith($"hold: writing {work.File(moment.WritingFile!)} ", StringComparison.Ordinal), moment.Name);
                run.Kill();
                Assert.Equal(128 + 9, run.WaitForExit().ExitCode);
            }

            var temporary = work.FileNames().Where(name => name.EndsWith(".tmp", StringComparison.Ordinal)).ToList();
            var beingWritten = temporary.Where(name => name.Contains($".{pid}.", StringComparison.Ordinal)).Select(WrittenFile).ToList();
            log.WriteLine($"killed while {moment.Name}: {(beingWritten.Count == 0 ? "no file was being written" : "interrupted the write of " + string.Join(", ", beingWritten))}");
            Assert.True(temporary.Count == beingWritten.Count, $"temporary files of earlier killed runs were not deleted: {string.Join(", ", temporary)}");
            if (moment.WritingFile is { } file)
            {
                Assert.Equal([file], beingWritten);                 // the kill landed in this write…
                Assert.Equal(before[file], File.ReadAllBytes(work.File(file))); // …and the file is still the old one
            }
            Assert.Equal(finished, work.FileNames().Except(temporary));
            AssertEveryFileIsComplete(work);
        }

        var last = CliProcess.Run(args);
        Assert.True(last.ExitCode == 0, last.ToString());
        Assert.Equal(finished, work.FileNames()); // the temporary files of the killed writers are gone
        AssertEveryFileIsComplete(work);
    }

    /// <summary>The file a temporary file <c>.{name}.{pid}.{guid}.tmp</c> was to become.</summary>
    private static string WrittenFile(string temporary) => string.Join('.', temporary.Split('.')[1..^3]);

    /// <summary>Reads every file of a run folder in full, as its consumer would, and fails on any incomplete one.</summary>
    internal static void AssertEveryFileIsComplete(TempDirectory run)
    {
        var test = RealMnist.DataSet.Test;
        foreach (var name in run.FileNames().Where(n => !n.EndsWith(".tmp", StringComparison.Ordinal)))
        {
            var path = run.File(name);
            try
            {
                switch (name)
                {
                    case "model.onnx":
                        Assert.Equal(10, MnistModel.FromOnnx(path).CreatePool().Predict(DigitInput.FromBytes(test.Image(0))).Score.Length);
                        break;
                    case "model.zip":
                        using (var zip = ZipFile.OpenRead(path))
                            foreach (var entry in zip.Entries)
                            {
                                using var content = entry.Open();
                                content.CopyTo(Stream.Null); // a damaged entry fails to inflate
                            }
                        Assert.Equal(10, MnistModel.Load(path).CreatePool().Predict(DigitInput.FromBytes(test.Image(0))).Score.Length);
                        break;
                    case "checkpoint":
                        // Every tensor: the current weights, the best weights and the optimizer state. In a
                        // child: building the network draws from TorchSharp's process-wide generator, which
                        // the seeded tests of the TorchSharp collection share.
                        Assert.True(Program.Read<int>(Program.RunChild(new Dictionary<string, string>(), "load-checkpoint", path)) > 0, "a checkpoint without tensors");
                        break;
                    case "metrics.json": Assert.Equal(test.Count, MetricsJson.Read(path).Evaluation.Count); break;
                    case "run.json": JsonDocument.Parse(File.ReadAllText(path)).Dispose(); break;
                    case ".mnist-run": Assert.StartsWith("mnist run folder, claimed by process ", File.ReadAllText(path)); break; // the folder's claim, written before anything else
                    case "report.html": Assert.EndsWith("</html>", File.ReadAllText(path).TrimEnd()); break;
                    case "confusion-matrix.csv":
                        var rows = File.ReadAllLines(path);
                        Assert.Equal(12, rows.Length);
                        Assert.All(rows, row => Assert.Equal(12, row.Split(',').Length));
                        Assert.Equal(test.Count, rows[1..11].Sum(row => row.Split(',')[1..11].Sum(int.Parse)));
                        break;
                    case "confusion-matrix.md":
                        var lines = File.ReadAllLines(path);
                        Assert.Equal(13, lines.Length);
                        Assert.All(lines, line => Assert.Matches(@"^\|.*\|$", line));
                        break;
                    case var png when png.EndsWith(".png", StringComparison.Ordinal):
                        using (var codec = SKCodec.Create(path) ?? throw new InvalidDataException("not a PNG"))
                        using (var bitmap = new SKBitmap(codec.Info))
                            Assert.Equal(SKCodecResult.Success, codec.GetPixels(bitmap.Info, bitmap.GetPixels())); // not IncompleteInput
                        break;
                    default: throw new InvalidOperationException($"a file no check knows: {name}");
                }
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"{name} is not complete: {e.GetType().Name}: {e.Message}");
            }
        }
    }
}
