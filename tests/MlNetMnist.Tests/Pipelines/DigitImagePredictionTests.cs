using MlNetMnist.Pipelines;
using MlNetMnist.Pipelines.Images;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Pipelines;

/// <summary>Users' own pictures of digits, as PNG and JPEG files, classified by the trained model after preprocessing.</summary>
public sealed class DigitImagePredictionTests
{
    private static int Predict(string path)
    {
        using var engine = MnistModel.FromOnnx(TrainedModel.OnnxPath).CreatePredictionEngine();
        return engine.Predict(DigitImageLoader.Load(path)).PredictedDigit;
    }

    [Fact]
    public void EnlargedInvertedOffCenterMnistImagesArePredictedAsTheirLabels()
    {
        using var dir = new TempDirectory();
        var test = RealMnist.DataSet.Test;
        using var engine = MnistModel.FromOnnx(TrainedModel.OnnxPath).CreatePredictionEngine();
        var wrong = new List<string>();
        for (int i = 0; i < 10; i++)
        {
            int index = i * 997;
            var canvas = new GrayCanvas(520, 400, background: 255)
                .PasteMnist(test.Image(index), left: 20 + 19 * i, top: 10 + 9 * i, scale: 10, invert: true);
            var path = canvas.Save(dir.File($"digit{i}{(i % 2 == 0 ? ".png" : ".jpg")}"));
            int predicted = engine.Predict(DigitImageLoader.Load(path)).PredictedDigit;
            if (predicted != test.Labels[index]) wrong.Add($"test image {index}: label {test.Labels[index]}, predicted {predicted}");
        }
        Assert.True(wrong.Count <= 1, string.Join("; ", wrong));
    }

    [Theory]
    [InlineData(1, ".png")]
    [InlineData(7, ".png")]
    [InlineData(0, ".jpg")]
    [InlineData(4, ".jpg")]
    public void DrawnDigitsOnAWhiteCanvasArePredicted(int digit, string extension)
    {
        using var dir = new TempDirectory();
        var canvas = new GrayCanvas(360, 300, background: 255);
        _ = digit switch
        {
            1 => canvas.Line(200, 40, 190, 260, 22, ink: 0),
            7 => canvas.Line(120, 50, 250, 50, 22, 0).Line(250, 50, 160, 260, 22, 0),
            0 => canvas.Ellipse(180, 150, 65, 105, 22, 0),
            4 => canvas.Line(130, 40, 110, 170, 24, 0).Line(110, 170, 250, 170, 24, 0).Line(220, 40, 215, 270, 24, 0),
            _ => throw new ArgumentOutOfRangeException(nameof(digit)),
        };
        Assert.Equal(digit, Predict(canvas.Save(dir.File("drawn" + extension))));
    }
}
