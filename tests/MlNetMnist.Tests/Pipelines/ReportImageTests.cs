using MlNetMnist.Data;
using MlNetMnist.Pipelines.Evaluation;
using MlNetMnist.Pipelines.Reports;
using SkiaSharp;

namespace MlNetMnist.Tests.Pipelines;

public sealed class ReportImageTests
{
    private static MnistEvaluation WithMistakes(int count) => new()
    {
        Count = ReportTestData.Evaluation.Count,
        Accuracy = ReportTestData.Evaluation.Accuracy,
        MacroAccuracy = ReportTestData.Evaluation.MacroAccuracy,
        LogLoss = ReportTestData.Evaluation.LogLoss,
        LogLossReduction = ReportTestData.Evaluation.LogLossReduction,
        Top2Accuracy = ReportTestData.Evaluation.Top2Accuracy,
        PerClass = ReportTestData.Evaluation.PerClass,
        ConfusionMatrix = ReportTestData.Evaluation.ConfusionMatrix,
        Misclassified = Enumerable.Range(0, count).Select(i => new Misclassification(i, ReportTestData.Images.Labels[i],
            (ReportTestData.Images.Labels[i] + 1) % 10, ReportTestData.Scores((ReportTestData.Images.Labels[i] + 1) % 10, 0.9f))).ToList(),
    };

    private static int Count(SKBitmap bitmap, Func<SKColor, bool> match, SKRectI? region = null)
    {
        var r = region ?? new SKRectI(0, 0, bitmap.Width, bitmap.Height);
        int n = 0;
        for (int y = r.Top; y < r.Bottom; y++)
            for (int x = r.Left; x < r.Right; x++)
                if (match(bitmap.GetPixel(x, y))) n++;
        return n;
    }

    [Fact]
    public void TheConfusionMatrixPngIs800By700WithBlueCorrectAndRedMistakeCells()
    {
        using var bitmap = SKBitmap.Decode(ConfusionMatrixPlot.RenderPng(ReportTestData.Evaluation));

        Assert.NotNull(bitmap);
        Assert.Equal((800, 700), (bitmap.Width, bitmap.Height));
        Assert.True(Count(bitmap, c => c.Blue > 90 && c.Red < 60 && c.Green < 90) > 20_000, "dark blue diagonal cells");
        Assert.True(Count(bitmap, c => c.Red > 150 && c.Green < 140 && c.Blue < 140) > 2_000, "red mistake cells");
        Assert.True(ReportWriter.PngTextAvailable, "no font that can draw digits was found: install one (for example fonts-dejavu-core)");
        Assert.True(Count(bitmap, c => c.Red < 60 && c.Green < 60 && c.Blue < 60, new SKRectI(0, 0, 800, 50)) > 200, "a title drawn in dark text");
    }

    [Fact]
    public void TheMisclassifiedGridHasTenImagesPerRowUpscaledThreeTimesAndAtMostSixty()
    {
        using var three = SKBitmap.Decode(MisclassifiedGrid.RenderPng(WithMistakes(25), ReportTestData.Images));
        using var sixty = SKBitmap.Decode(MisclassifiedGrid.RenderPng(WithMistakes(75), ReportTestData.Images));

        const int tileWidth = 106, tileHeight = 130, margins = 24, header = 34;
        Assert.Equal((margins + 10 * tileWidth, margins + header + 3 * tileHeight), (three.Width, three.Height));
        Assert.Equal((margins + 10 * tileWidth, margins + header + 6 * tileHeight), (sixty.Width, sixty.Height));
        // The first tile is image 0, dark ink on white, each pixel a 3×3 block.
        var pixels = ReportTestData.Images.Image(0).ToArray();
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
                Assert.Equal(255 - pixels[y * 28 + x], three.GetPixel(18 + 3 * x + 1, 46 + 3 * y + 1).Red);
        Assert.True(Count(three, c => c.Red > 140 && c.Green < 80, new SKRectI(12, 46 + 84, 12 + tileWidth, 46 + tileHeight)) > 20, "a red caption under the first image");
    }

    [Fact]
    public void NoMistakesGiveASmallImageSayingSo()
    {
        using var bitmap = SKBitmap.Decode(MisclassifiedGrid.RenderPng(WithMistakes(0), ReportTestData.Images));

        Assert.True(bitmap.Width is >= 320 and <= 400, $"width {bitmap.Width}");
        Assert.Equal(80, bitmap.Height);
        Assert.True(Count(bitmap, c => c.Red < 100) > 100, "the message is drawn");
    }

    [Fact]
    public void AMistakeOutsideTheImagesIsRefused()
    {
        var few = ReportTestData.Images.Slice(0, 10);
        Assert.Throws<ArgumentException>(() => MisclassifiedGrid.RenderPng(WithMistakes(20), few));
    }

    [Fact]
    public void TheTrainingCurvesPngHasTwoPanelsWithBothLines()
    {
        using var bitmap = SKBitmap.Decode(TrainingCurvesPlot.RenderPng(ReportTestData.History));

        Assert.Equal((1200, 450), (bitmap.Width, bitmap.Height));
        foreach (var panel in new[] { new SKRectI(0, 0, 600, 450), new SKRectI(600, 0, 1200, 450) })
        {
            Assert.True(Count(bitmap, c => c.Blue > 150 && c.Red < 80, panel) > 200, "a blue training line");
            Assert.True(Count(bitmap, c => c.Red > 220 && c.Green is > 90 and < 160 && c.Blue < 60, panel) > 200, "an orange validation line");
        }
        Assert.Throws<ArgumentException>(() => TrainingCurvesPlot.RenderPng([]));
    }

    [Fact]
    public void ASingleEpochStillPlots()
    {
        using var bitmap = SKBitmap.Decode(TrainingCurvesPlot.RenderPng([ReportTestData.History[0]], 800, 300));
        Assert.Equal((800, 300), (bitmap.Width, bitmap.Height));
    }
}
