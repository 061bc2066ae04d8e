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

    /// <summary>An evaluation of <paramref name="classes"/> classes: 100 right per class, plus <paramref name="mistakes"/>.</summary>
    private static MnistEvaluation Synthetic(int classes, params (int Actual, int Predicted, int Count)[] mistakes)
    {
        var matrix = Enumerable.Range(0, classes).Select(a => Enumerable.Range(0, classes).Select(p => a == p ? 100 : 0).ToArray()).ToArray();
        foreach (var (a, p, count) in mistakes) matrix[a][p] = count;
        int total = matrix.Sum(r => r.Sum());
        return new MnistEvaluation
        {
            Count = total, Accuracy = 100.0 * classes / total, MacroAccuracy = 0, LogLoss = 0, LogLossReduction = 0, Top2Accuracy = 0,
            PerClass = [], ConfusionMatrix = matrix, Misclassified = [],
        };
    }

    private static bool DarkBlue(SKColor c) => c.Blue > 90 && c.Red < 60 && c.Green < 90;

    private static bool Red(SKColor c) => c.Red > 120 && c.Green < 80 && c.Blue < 80;

    /// <summary>The smallest rectangle holding every pixel that matches: for the dark blue diagonal, the matrix itself.</summary>
    private static SKRectI Bounds(SKBitmap bitmap, Func<SKColor, bool> match)
    {
        var pixels = bitmap.Pixels;
        int left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1;
        for (int i = 0; i < pixels.Length; i++)
            if (match(pixels[i]))
            {
                int x = i % bitmap.Width, y = i / bitmap.Width;
                (left, top, right, bottom) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x + 1), Math.Max(bottom, y + 1));
            }
        return new SKRectI(left, top, right, bottom);
    }

    [Fact]
    public void TheConfusionMatrixTakesClassLabelsTheDigitsByDefault()
    {
        var digits = Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.Equal(ConfusionMatrixPlot.RenderPng(ReportTestData.Evaluation), ConfusionMatrixPlot.RenderPng(ReportTestData.Evaluation, digits));
        Assert.NotEqual(ConfusionMatrixPlot.RenderPng(ReportTestData.Evaluation), ConfusionMatrixPlot.RenderPng(ReportTestData.Evaluation, digits.Select(d => "class " + d).ToList()));
        var e = Assert.Throws<ArgumentException>(() => ConfusionMatrixPlot.RenderPng(ReportTestData.Evaluation, digits.Take(9).ToList()));
        Assert.Contains("10 classes but 9 class labels", e.Message);
    }

    [Fact]
    public void LongClassNamesEndInAnEllipsisAndLeaveTheMatrixItsRoom()
    {
        string Long(int i, string ending) => $"class {i} " + new string('x', 150) + ending;
        var names = Enumerable.Range(0, 10).Select(i => Long(i, "first ending")).ToList();
        var otherEndings = Enumerable.Range(0, 10).Select(i => Long(i, "another ending")).ToList();

        var png = ConfusionMatrixPlot.RenderPng(ReportTestData.Evaluation, names, 800, 700);
        using var bitmap = SKBitmap.Decode(png);
        using var digits = SKBitmap.Decode(ConfusionMatrixPlot.RenderPng(ReportTestData.Evaluation));

        Assert.Equal(png, ConfusionMatrixPlot.RenderPng(ReportTestData.Evaluation, otherEndings, 800, 700)); // the endings are cut off
        var matrix = Bounds(bitmap, DarkBlue);
        Assert.True(matrix.Width >= 0.6 * Bounds(digits, DarkBlue).Width, $"the matrix is {matrix.Width} pixels wide beside long names");
        Assert.True(matrix.Left < 0.45 * bitmap.Width, $"the row labels take {matrix.Left} of {bitmap.Width} pixels");
        Assert.Equal(matrix.Width, matrix.Height, tolerance: 2); // square cells
    }

    [Fact]
    public void FiftyClassesGetACountInEveryCell()
    {
        var evaluation = Synthetic(50, (7, 30, 4));
        using var bitmap = SKBitmap.Decode(ConfusionMatrixPlot.RenderPng(evaluation, Enumerable.Range(0, 50).Select(i => $"class {i}").ToList()));

        var matrix = Bounds(bitmap, DarkBlue);
        float cell = matrix.Width / 50f;
        Assert.True(cell >= 20, $"cells of {cell} pixels");
        for (int d = 0; d < 50; d++)
        {
            var inner = new SKRectI((int)(matrix.Left + d * cell + 3), (int)(matrix.Top + d * cell + 3), (int)(matrix.Left + (d + 1) * cell - 3), (int)(matrix.Top + (d + 1) * cell - 3));
            Assert.True(Count(bitmap, c => c.Red > 200 && c.Green > 200 && c.Blue > 200, inner) > 10, $"the count \"100\" written in white on diagonal cell {d}");
        }
        var mistake = new SKRectI((int)(matrix.Left + 30 * cell + 3), (int)(matrix.Top + 7 * cell + 3), (int)(matrix.Left + 31 * cell - 3), (int)(matrix.Top + 8 * cell - 3));
        Assert.True(Count(bitmap, Red, mistake) > 20, "the red mistake cell");
        Assert.True(Count(bitmap, c => c.Red > 200 && c.Green > 200 && c.Blue > 200, mistake) > 5, "its count in white");
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(800, 700)]
    public void AThousandClassesStillShowTheirDiagonalAndASingleMistake(int? width, int? height)
    {
        var evaluation = Synthetic(1000, (700, 3, 1));
        var names = Enumerable.Range(0, 1000).Select(i => $"a rather long class name {i}").ToList();
        using var bitmap = SKBitmap.Decode(ConfusionMatrixPlot.RenderPng(evaluation, names, width, height));

        if (width is not null) Assert.Equal((800, 700), (bitmap.Width, bitmap.Height));
        var matrix = Bounds(bitmap, DarkBlue);
        Assert.True(matrix.Width > (width is null ? 1000 : 400), $"a matrix {matrix.Width} pixels wide");
        float cell = matrix.Width / 1000f;
        int x = (int)(matrix.Left + 3.5f * cell), y = (int)(matrix.Top + 700.5f * cell);
        Assert.True(Count(bitmap, Red, new SKRectI(x - 1, y - 1, x + 2, y + 2)) > 0, $"the mistake near ({x}, {y})");
        var red = Bounds(bitmap, Red);
        Assert.True(red.Width <= 3 && red.Height <= 3, $"red only at the mistake, but red in {red}");
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
            var pixels = ReportTestData.Images.Image(mistakes.Misclassified[k].Index).ToArray();
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
    public void AnEnsemblesMembersAreDrawnSideBySideAndNotJoined()
    {
        // Three members of four epochs each, numbered on (1–12): each starts high and ends low again.
        var ensemble = Enumerable.Range(0, 3).SelectMany(m => ReportTestData.History.Select(p => p with { Epoch = p.Epoch + 4 * m, Member = m + 1 })).ToList();
        var joined = ensemble.Select(p => p with { Member = 0 }).ToList(); // the same points as one network's
        using var members = SKBitmap.Decode(TrainingCurvesPlot.RenderPng(ensemble));
        using var single = SKBitmap.Decode(TrainingCurvesPlot.RenderPng(joined));
        var loss = new SKRectI(0, 0, 600, 450);

        // Where members 2 and 3 begin: the dashed separators (columns mostly of the muted gray).
        static bool Muted(SKColor c) => c.Red is > 0x60 and < 0x80 && c.Green is > 0x60 and < 0x80 && c.Blue is > 0x60 and < 0x80;
        var separators = Enumerable.Range(loss.Left, loss.Width).Where(x => Count(members, Muted, new SKRectI(x, 0, x + 1, 450)) > 150).ToList();
        var clusters = separators.Where((x, i) => i == 0 || separators[i - 1] < x - 2).ToList();
        Assert.Equal(2, clusters.Count);
        Assert.DoesNotContain(Enumerable.Range(loss.Left, loss.Width), x => Count(single, Muted, new SKRectI(x, 0, x + 1, 450)) > 150);
        foreach (var x in clusters)
        {
            var band = new SKRectI(x - 3, 40, x + 4, 400);
            Assert.Equal(0, Count(members, IsTrainBlue, band));       // nothing joins the last epoch of one member to the first of the next
            Assert.True(Count(single, IsTrainBlue, band) > 10, "the fault: one network's line does cross there (the check can fail)");
        }
        // The members' numbers: at the bottom of the loss panel (its legend is at the top), at the top of the accuracy panel.
        foreach (var band in new[] { new SKRectI(0, 380, 600, 396), new SKRectI(600, 40, 1200, 70) })
            Assert.True(Count(members, Muted, band) > Count(single, Muted, band) + 30, $"the members' numbers in {band}");
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
