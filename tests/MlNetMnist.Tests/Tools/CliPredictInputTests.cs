using MlNetMnist.Pipelines;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Tools;

/// <summary>Bad images given to <c>mnist predict</c>: one clear error each, exit 1.</summary>
public sealed class CliPredictInputTests
{
    [Theory]
    [InlineData("text.png", "is not an image")]
    [InlineData("empty.png", "empty")]
    [InlineData("huge.png", "5,000×5,000")]
    public void ABadImageIsOneClearError(string name, string expected)
    {
        using var dir = new TempDirectory();
        MnistModel.FromOnnx(TrainedModel.OnnxPath).Save(dir.File("model.zip"));
        var image = dir.File(name);
        switch (name)
        {
            case "text.png": File.WriteAllText(image, "not an image"); break;
            case "empty.png": File.WriteAllBytes(image, []); break;
            default: File.WriteAllBytes(image, ImageFileWriter.PngDeclaring(5000, 5000)); break;
        }

        var result = CliProcess.Run(["predict", "--model", dir.File("model.zip"), image]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith($"error: {image}: ", result.StandardError);
        Assert.Contains(expected, result.StandardError);
        Assert.DoesNotContain("   at ", result.AllOutput);
    }
}
