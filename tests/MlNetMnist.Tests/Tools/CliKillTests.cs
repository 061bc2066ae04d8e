using System.Text.Json;
using MlNetMnist.ModelDefinition.Training;
using MlNetMnist.Pipelines;
using MlNetMnist.Pipelines.Reports;
using MlNetMnist.Tests.Support;
using SkiaSharp;

namespace MlNetMnist.Tests.Tools;

/// <summary><c>mnist run</c> killed with SIGKILL at many moments: every file in the run folder is the old one or the new one, whole.</summary>
public sealed class CliKillTests
{
    [Fact]
    public void KillingARunAtAnyMomentLeavesOnlyCompleteFiles()
    {
        using var work = new TempDirectory();
        string[] args = ["run", "--preset", "fast", "--epochs", "1", "--limit", "3000", "--data-dir", RealMnist.Directory, "--out", work.Path, "--force"];
        var first = CliProcess.Run(args);
        Assert.True(first.ExitCode == 0, first.ToString());

        foreach (int delay in new[] { 700, 1_500, 2_300, 3_100, 3_900, 4_700, 5_500 })
        {
            using (var process = CliProcess.Start(args))
            {
                Thread.Sleep(delay);
                if (!process.HasExited) process.Kill();
                process.WaitForExit();
            }
            AssertEveryFileIsComplete(work);
        }
    }

    private static void AssertEveryFileIsComplete(TempDirectory run)
    {
        foreach (var name in run.FileNames().Where(n => !n.EndsWith(".tmp", StringComparison.Ordinal)))
        {
            var path = run.File(name);
            switch (name)
            {
                case "model.onnx": MnistModelMetadata.Read(path); break;
                case "model.zip": MnistModel.Load(path); break;
                case "checkpoint": TrainingCheckpoint.ReadState(path); break;
                case "metrics.json": MetricsJson.Read(path); break;
                case "run.json": JsonDocument.Parse(File.ReadAllText(path)).Dispose(); break;
                case "report.html": Assert.EndsWith("</html>", File.ReadAllText(path).TrimEnd()); break;
                case var png when png.EndsWith(".png"): Assert.NotNull(SKBitmap.Decode(path)); break;
                default: Assert.EndsWith("\n", File.ReadAllText(path)); break; // csv, md
            }
        }
    }
}
