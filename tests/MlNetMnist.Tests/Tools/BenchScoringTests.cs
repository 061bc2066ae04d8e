using System.Text.Json;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Tools;

/// <summary>The scoring half of <c>mnist bench</c>, run as the child process <c>mnist bench</c> starts.</summary>
public sealed class BenchScoringTests
{
    private static string Documentation()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "docs", "benchmarks.md");
            if (File.Exists(path)) return File.ReadAllText(path);
        }
        throw new InvalidOperationException("docs/benchmarks.md not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void ScoringIsMeasuredInAProcessWithoutLibtorchAgainstBothOnnxRuntimeApis()
    {
        using var run = RunningCli.Start(["bench-scoring", TrainedModel.OnnxPath, "--images", "512", "--singles", "100", "--rounds", "1",
            "--threads", "2", "--data-dir", RealMnist.Directory]);
        // The data is loaded and the measurement starts: the process must not have libtorch mapped
        // (its threads would share the cores with the scoring being timed).
        run.WaitForLine(line => line.StartsWith("[data] ", StringComparison.Ordinal), "the data line");
        var maps = File.ReadAllText($"/proc/{run.Id}/maps"); // throws if it has already ended
        var result = run.WaitForExit();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("libcoreclr.so", maps); // the maps of the live .NET process were read (an ended one's are empty)
        Assert.DoesNotContain("libtorch", maps);
        Assert.DoesNotContain("libLibTorchSharp", maps);
        using var json = JsonDocument.Parse(result.StandardOutput.Trim().Split('\n')[^1]);
        var figures = json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        Assert.Contains("ortSingleMicroseconds", figures.Keys);           // ONNX Runtime's OrtValue API
        Assert.Contains("ortSingleNamedValueMicroseconds", figures.Keys); // and its NamedOnnxValue API
        var documentation = Documentation();
        foreach (var (name, value) in figures)
        {
            Assert.True(value > 0 && double.IsFinite(value), $"{name} = {value}");
            Assert.True(documentation.Contains($"`{name}`", StringComparison.Ordinal), $"{name} is printed but docs/benchmarks.md does not explain it");
        }
    }

    [Fact]
    public void AMissingModelIsAUsageError()
    {
        var result = CliProcess.Run(["bench-scoring", "/nonexistent/model.onnx", "--data-dir", RealMnist.Directory]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("model file not found", result.StandardError);
    }
}
