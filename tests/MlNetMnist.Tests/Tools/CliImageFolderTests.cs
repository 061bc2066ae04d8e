using System.Text.Json;
using Microsoft.ML;
using MlNetMnist.Data;
using MlNetMnist.Pipelines;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Tools;

/// <summary>Image folders through the real CLI: train, export, a model.zip that scores image files, the report, predict.</summary>
public sealed class CliImageFolderTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public void MnistAsPngFoldersTrainsAndItsModelZipScoresImageFilesLikePredict()
    {
        using var dir = new TempDirectory();
        var data = dir.File("digits");
        MnistImageFolders.WritePng(RealMnist.Directory, data, trainCount: 6_000, testCount: 500);
        var run = CliProcess.Run(["run", "--preset", "fast", "--data-dir", data, "--out", dir.File("run"), "--no-download"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Found 6,500 images in 10 classes", run.AllOutput);
        Assert.Contains("digits: 6,000 training + 500 test images of 1×28×28, 10 classes", run.AllOutput);

        // The ONNX contract: the model says it reads image files; model.zip takes ImagePath.
        using var metrics = JsonDocument.Parse(File.ReadAllText(dir.File("run/metrics.json")));
        Assert.Equal("digits", metrics.RootElement.GetProperty("dataset").GetString());
        double accuracy = metrics.RootElement.GetProperty("accuracy").GetDouble();
        Assert.True(accuracy > 0.9, $"accuracy {accuracy}");
        var loaded = MnistModel.Load(dir.File("run/model.zip"));
        Assert.True(loaded.TakesImageFiles);
        Assert.NotNull(loaded.InputSchema.GetColumnOrNull(ImageFileTransforms.ImagePathColumn));

        // Every test file through model.zip's own image pipeline (ML.NET LoadImages → … → Score) gives
        // the class the run's evaluation gave it from the decoded pixels, and mnist predict agrees.
        var files = Directory.GetFiles(Path.Combine(data, "test"), "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        using var engine = loaded.CreateImageFileEngine();
        var viaZip = files.Select(f => engine.Predict(new ImagePathRow { ImagePath = f }).PredictedDigit).ToArray();
        int right = files.Select((f, i) => int.Parse(Path.GetFileName(Path.GetDirectoryName(f)!)) == viaZip[i] ? 1 : 0).Sum();
        Assert.Equal(accuracy, right / (double)files.Length, 6);

        var some = files.Where((_, i) => i % 50 == 0).ToArray();
        var predict = CliProcess.Run(["predict", "--model", dir.File("run/model.zip"), "--json", .. some]);
        Assert.True(predict.ExitCode == 0, predict.ToString());
        using var json = JsonDocument.Parse(predict.StandardOutput);
        var predicted = json.RootElement.EnumerateArray().Select(r => r.GetProperty("class").GetString()).ToArray();
        Assert.Equal(some.Select(f => viaZip[Array.IndexOf(files, f)].ToString()), predicted);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void ColoredRgbFoldersAt32PixelsTrainAndScore()
    {
        using var dir = new TempDirectory();
        var data = dir.File("colored");
        MnistImageFolders.WriteColored(RealMnist.Directory, data, trainCount: 3_000, testCount: 300, side: 32);
        var run = CliProcess.Run(["run", "--preset", "fast", "--image-size", "32", "--data-dir", data, "--out", dir.File("run"), "--no-download", "--json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var model = MnistModel.Load(dir.File("run/model.zip"));
        Assert.Equal(new ImageShape(3, 32, 32), model.Metadata.Shape);
        Assert.Equal(3, model.Metadata.Normalization.Channels);
        using var summary = JsonDocument.Parse(run.StandardOutput);
        double accuracy = summary.RootElement.GetProperty("accuracy").GetDouble();
        Assert.True(accuracy > 0.3, run.StandardOutput); // 2 epochs on 3,000 randomly colored digits: well above the 10% of chance

        // model.zip reads the RGB files itself and agrees with the evaluation of the decoded pixels.
        var files = Directory.GetFiles(Path.Combine(data, "test"), "*.png", SearchOption.AllDirectories);
        using var engine = model.CreateImageFileEngine();
        int right = files.Count(f => engine.Predict(new ImagePathRow { ImagePath = f }).PredictedDigit == int.Parse(Path.GetFileName(Path.GetDirectoryName(f)!)));
        Assert.Equal(accuracy, right / (double)files.Length, 6);
    }
}
