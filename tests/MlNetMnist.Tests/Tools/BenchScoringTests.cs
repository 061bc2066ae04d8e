using System.Text.Json;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Tools;

/// <summary>The scoring half of <c>mnist bench</c>, run as the child process <c>mnist bench</c> starts.</summary>
[Collection(TorchSharpCollection.Name)]
public sealed class BenchScoringTests
{
    [Fact]
    public void ScoringIsMeasuredInAChildProcessAgainstBothOnnxRuntimeApis()
    {
        var result = CliProcess.Run(["bench-scoring", TrainedModel.OnnxPath, "--images", "512", "--singles", "100", "--rounds", "1",
            "--threads", "2", "--data-dir", RealMnist.Directory, "--quiet"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.StandardOutput.Trim().Split('\n')[^1]);
        var figures = json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        foreach (var name in new[] { "transformImagesPerSecond", "rowTransformImagesPerSecond", "ortBatchedImagesPerSecond", "engineMicroseconds", "ortSingleMicroseconds", "ortSingleNamedValueMicroseconds" })
            Assert.True(figures[name] > 0 && double.IsFinite(figures[name]), $"{name} = {figures[name]}");
        Assert.Equal(figures["engineMicroseconds"] / figures["ortSingleMicroseconds"], figures["engineRatio"], 9);
        Assert.Equal(figures["transformImagesPerSecond"] / figures["ortBatchedImagesPerSecond"], figures["transformRatio"], 9);
    }

    [Fact]
    public void AMissingModelIsAUsageError()
    {
        var result = CliProcess.Run(["bench-scoring", "/nonexistent/model.onnx", "--data-dir", RealMnist.Directory]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("model file not found", result.StandardError);
    }
}
