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
        var mistakes = WithMistakes(25);
        using var three = SKBitmap.Decode(MisclassifiedGrid.RenderPng(mistakes, ReportTestData.Images));
        using var sixty = SKBitmap.Decode(MisclassifiedGrid.RenderPng(WithMistakes(75), ReportTestData.Images));

        var tiles = FramedTiles(three);
        Assert.Equal([10, 10, 5], tiles.GroupBy(t => t.Top).Select(row => row.Count()));
        Assert.Equal([10, 10, 10, 10, 10, 10], FramedTiles(sixty).GroupBy(t => t.Top).Select(row => row.Count()));
        // Each tile, in reading order, is the next mistake's image: dark ink on white, each pixel a 3×3 block.
        foreach (int k in new[] { 0, 9, 10, 24 })
        {
            var pixels = ReportTestData.Images.Images.Image(mistakes.Misclassified[k].Index).ToArray();
            for (int y = 1; y < 27; y++) // the frame covers the outermost pixels
                for (int x = 1; x < 27; x++)
                    Assert.Equal(255 - pixels[y * 28 + x], three.GetPixel(tiles[k].Left + 3 * x + 1, tiles[k].Top + 3 * y + 1).Red);
        }
        var first = tiles[0];
        Assert.True(Count(three, c => c.Red > 140 && c.Green < 80, new SKRectI(first.Left - 6, first.Bottom, first.Right + 6, first.Bottom + 20)) > 20,
            "a red caption under the first image");
    }

    /// <summary>
    /// The framed squares of the grid, in reading order: a square outline of the frame's light gray
    /// whose sides are at least an image wide (a digit never draws such lines).
    /// </summary>
    private static List<SKRectI> FramedTiles(SKBitmap bitmap)
    {
        bool Frame(int x, int y) => x >= 0 && y >= 0 && x < bitmap.Width && y < bitmap.Height && bitmap.GetPixel(x, y) == new SKColor(0xd0, 0xd0, 0xd0);
        var tiles = new List<SKRectI>();
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                if (!Frame(x, y) || Frame(x - 1, y) || Frame(x, y - 1)) continue; // a top-left corner only
                int width = 0, height = 0;
                while (Frame(x + width, y)) width++;
                while (Frame(x, y + height)) height++;
                if (width >= 28 && width == height && Frame(x + width - 1, y + height - 1)) tiles.Add(new SKRectI(x, y, x + width, y + height));
            }
        Assert.Single(tiles.Select(t => t.Width).Distinct()); // one size for all
        return tiles.OrderBy(t => t.Top).ThenBy(t => t.Left).ToList();
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
    public void ASingleEpochStillPlotsBothValuesAtTheirHeights()
    {
        var epoch = ReportTestData.History[0]; // loss: train 0.62 above validation 0.21; accuracy: validation 94% above train 81%
        using var bitmap = SKBitmap.Decode(TrainingCurvesPlot.RenderPng([epoch], 800, 300));

        Assert.Equal((800, 300), (bitmap.Width, bitmap.Height));
        var loss = new SKRectI(0, 0, 400, 300);
        var accuracy = new SKRectI(400, 0, 800, 300);
        var (lossTrain, lossValidation) = (Marker(bitmap, loss, IsTrainBlue), Marker(bitmap, loss, IsValidationOrange));
        var (accuracyTrain, accuracyValidation) = (Marker(bitmap, accuracy, IsTrainBlue), Marker(bitmap, accuracy, IsValidationOrange));
        Assert.True(lossTrain.Y < lossValidation.Y, $"loss: train marker at y {lossTrain.Y}, validation at y {lossValidation.Y}");
        Assert.True(accuracyValidation.Y < accuracyTrain.Y, $"accuracy: validation marker at y {accuracyValidation.Y}, train at y {accuracyTrain.Y}");
        Assert.InRange(lossTrain.X - lossValidation.X, -1, 1);            // one epoch: one column
        Assert.InRange(accuracyTrain.X - accuracyValidation.X, -1, 1);
    }

    private static bool IsTrainBlue(SKColor c) => c.Blue > 150 && c.Red < 80;

    private static bool IsValidationOrange(SKColor c) => c.Red > 220 && c.Green is > 90 and < 160 && c.Blue < 60;

    /// <summary>
    /// The centre of the one data marker of a color in <paramref name="region"/>: a blob of that
    /// color no wider than a marker (the legend's sample, a line through a marker, is wider).
    /// </summary>
    private static SKPointI Marker(SKBitmap bitmap, SKRectI region, Func<SKColor, bool> color)
    {
        var seen = new HashSet<(int, int)>();
        var markers = new List<SKRectI>();
        for (int y = region.Top; y < region.Bottom; y++)
            for (int x = region.Left; x < region.Right; x++)
            {
                if (seen.Contains((x, y)) || !color(bitmap.GetPixel(x, y))) continue;
                var box = new SKRectI(x, y, x, y);
                var queue = new Queue<(int X, int Y)>([(x, y)]);
                seen.Add((x, y));
                while (queue.TryDequeue(out var p))
                {
                    box = SKRectI.Union(box, new SKRectI(p.X, p.Y, p.X + 1, p.Y + 1));
                    foreach (var (nx, ny) in new[] { (p.X + 1, p.Y), (p.X - 1, p.Y), (p.X, p.Y + 1), (p.X, p.Y - 1) })
                        if (region.Contains(nx, ny) && !seen.Contains((nx, ny)) && color(bitmap.GetPixel(nx, ny)))
                        {
                            seen.Add((nx, ny));
                            queue.Enqueue((nx, ny));
                        }
                }
                if (box.Width <= 12 && box.Height <= 12 && box.Width >= 3) markers.Add(box);
            }
        var marker = Assert.Single(markers);
        return new SKPointI(marker.MidX, marker.MidY);
    }
}
