using System.Globalization;
using MlNetMnist.Data;
using MlNetMnist.Pipelines.Evaluation;
using SkiaSharp;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>
/// <c>confusion-matrix.png</c>: the confusion matrix as a heat map with the count in every cell,
/// true classes down the side (the first at the top), predicted classes along the bottom. Correct
/// predictions are blue and mistakes red, each on a logarithmic scale, so single mistakes stay
/// visible. Cells and fonts scale with the number of classes: counts are drawn while they stay
/// readable (up to 50 classes), class names longer than their space end in an ellipsis, and with
/// too many classes for one name per row only every second, fifth, tenth… is named.
/// </summary>
public static class ConfusionMatrixPlot
{
    /// <summary>The file's usual name.</summary>
    public const string FileName = "confusion-matrix.png";

    /// <summary>The most classes whose cells get their counts written in them.</summary>
    public const int MaxClassesWithCounts = 50;

    private const int MaxClassesWithZeros = 20; // beyond, the many empty cells stay blank instead of each saying 0

    private const float Margin = 12, TitleBand = 46, AxisTitleBand = 30, LabelGap = 6;
    private static readonly SKColor ZeroCount = new(0xb0, 0xb0, 0xb0);

    /// <summary>Renders the plot as PNG bytes, the classes labelled with their numbers (the digits 0–9 for MNIST).</summary>
    /// <param name="evaluation">The evaluation whose matrix, accuracy and count are shown.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    public static byte[] RenderPng(MnistEvaluation evaluation, int width = 800, int height = 700)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(evaluation.ConfusionMatrix);
        return RenderPng(evaluation, ReportContext.NumberedLabels(evaluation.ConfusionMatrix.Length), width, height);
    }

    /// <summary>Renders the plot as PNG bytes, the classes labelled with <paramref name="classLabels"/>.</summary>
    /// <param name="evaluation">The evaluation whose matrix, accuracy and count are shown.</param>
    /// <param name="classLabels">One name per class, in the matrix's order; shortened with an ellipsis where too long.</param>
    /// <param name="width">Image width in pixels; by default one that fits the classes (800 for 10 short names).</param>
    /// <param name="height">Image height in pixels; by default one that fits the classes (700 for 10 short names).</param>
    /// <exception cref="ArgumentException"><paramref name="classLabels"/> does not have one name per class of the matrix.</exception>
    public static byte[] RenderPng(MnistEvaluation evaluation, IReadOnlyList<string> classLabels, int? width = null, int? height = null)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(classLabels);
        var totals = new ConfusionMatrixTotals(evaluation.ConfusionMatrix);
        int n = totals.Size;
        if (classLabels.Count != n)
            throw new ArgumentException($"The matrix has {n} classes but {classLabels.Count} class labels were given.", nameof(classLabels));
        var labels = classLabels.Select(Printable).ToArray();
        var (defaultWidth, defaultHeight) = DefaultSize(labels);
        int w = width ?? defaultWidth, h = height ?? defaultHeight;
        ArgumentOutOfRangeException.ThrowIfLessThan(w, 100, nameof(width));
        ArgumentOutOfRangeException.ThrowIfLessThan(h, 100, nameof(height));

        using var canvas = new PngCanvas(w, h);
        using var titleFont = PngCanvas.Font(18, bold: true);
        using var axisFont = PngCanvas.Font(15, bold: true);
        string title = $"Confusion matrix — accuracy {ReportFormat.Percent(evaluation.Accuracy)} ({ReportFormat.Count(evaluation.Count)} images)";
        canvas.Text(PngCanvas.Fit(title, titleFont, w - 2 * Margin), w / 2f, Margin + 22, titleFont, PngCanvas.Ink, TextAnchor.Middle);

        var layout = Layout.For(labels, w - 2 * Margin - AxisTitleBand, h - Margin - TitleBand - AxisTitleBand);
        float side = layout.Cell * n;
        float blockWidth = AxisTitleBand + layout.LeftSpace + side, blockHeight = side + layout.BottomSpace + AxisTitleBand;
        float left = MathF.Round((w - blockWidth) / 2 + AxisTitleBand + layout.LeftSpace);
        float top = MathF.Round(TitleBand + (h - Margin - TitleBand - blockHeight) / 2);
        var matrix = SKRect.Create(left, top, side, side);

        DrawCells(canvas, totals, matrix, layout.Cell);
        if (n <= MaxClassesWithCounts) DrawCounts(canvas, totals, matrix, layout.Cell);
        DrawLabels(canvas, labels, matrix, layout);
        string noun = IsDigits(labels) ? "digit" : "class";
        canvas.Text($"Predicted {noun}", matrix.MidX, matrix.Bottom + layout.BottomSpace + AxisTitleBand / 2 + PngCanvas.CapHeight(axisFont) / 2,
            axisFont, PngCanvas.Ink, TextAnchor.Middle);
        canvas.TextUpwards($"True {noun}", matrix.Left - layout.LeftSpace - AxisTitleBand / 2, matrix.MidY, axisFont, PngCanvas.Ink);
        return canvas.ToPng();
    }

    /// <summary>
    /// The cells, one image pixel per matrix pixel: with cells of a pixel or more each pixel shows its
    /// cell; with smaller ones each pixel shows the most intense (darkest) cell it covers, so that a
    /// lone mistake among a thousand classes still shows.
    /// </summary>
    private static void DrawCells(PngCanvas canvas, ConfusionMatrixTotals totals, SKRect matrix, float cell)
    {
        int n = totals.Size, m = Math.Max(1, (int)MathF.Round(matrix.Width));
        var colors = new RgbColor[n * n];
        for (int a = 0; a < n; a++)
            for (int p = 0; p < n; p++)
                colors[a * n + p] = ConfusionCellColor.Of(totals, a, p);
        var pixels = new byte[m * m * 4];
        for (int y = 0; y < m; y++)
        {
            var (rowStart, rowEnd) = Covered(y, m, n);
            for (int x = 0; x < m; x++)
            {
                var (columnStart, columnEnd) = Covered(x, m, n);
                var color = colors[rowStart * n + columnStart];
                for (int a = rowStart; a < rowEnd; a++)
                    for (int p = columnStart; p < columnEnd; p++)
                        if (Luma(colors[a * n + p]) < Luma(color)) color = colors[a * n + p];
                int i = (y * m + x) * 4;
                (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]) = (color.R, color.G, color.B, 255);
            }
        }
        using var image = SKImage.FromPixelCopy(new SKImageInfo(m, m, SKColorType.Rgba8888, SKAlphaType.Opaque), pixels, m * 4);
        canvas.Canvas.DrawImage(image, matrix.Left, matrix.Top);
        if (cell >= 6)
            for (int k = 1; k < n; k++)
            {
                float at = matrix.Left + k * cell + 0.5f, down = matrix.Top + k * cell + 0.5f;
                canvas.Line(at, matrix.Top, at, matrix.Bottom, SKColors.White);
                canvas.Line(matrix.Left, down, matrix.Right, down, SKColors.White);
            }
        canvas.Outline(SKRect.Create(matrix.Left - 1, matrix.Top - 1, matrix.Width + 2, matrix.Height + 2), PngCanvas.Frame);
    }

    /// <summary>The classes [start, end) that pixel <paramref name="pixel"/> of <paramref name="pixels"/> covers, at least one.</summary>
    private static (int Start, int End) Covered(int pixel, int pixels, int classes)
    {
        int start = (int)((long)pixel * classes / pixels);
        return (start, Math.Max(start + 1, (int)((long)(pixel + 1) * classes / pixels)));
    }

    private static int Luma(RgbColor c) => 299 * c.R + 587 * c.G + 114 * c.B;

    private static void DrawCounts(PngCanvas canvas, ConfusionMatrixTotals totals, SKRect matrix, float cell)
    {
        int n = totals.Size;
        int largest = Math.Max(totals.MaxDiagonal, totals.MaxOffDiagonal);
        string widest = largest.ToString(CultureInfo.InvariantCulture);
        float size = Math.Min(largest >= 10_000 ? 14 : 18, cell * 0.4f); // five-digit counts need the smaller size
        using (var probe = PngCanvas.Font(size, bold: true))
        {
            float room = cell - 6, needed = PngCanvas.Measure(widest, probe);
            if (needed > room) size *= room / needed;
        }
        if (size < 7) return; // unreadable: the colors alone tell
        using var bold = PngCanvas.Font(size, bold: true);
        using var regular = PngCanvas.Font(size);
        for (int actual = 0; actual < n; actual++)
            for (int predicted = 0; predicted < n; predicted++)
            {
                int count = totals[actual, predicted];
                if (count == 0 && n > MaxClassesWithZeros) continue;
                var color = ConfusionCellColor.Of(totals, actual, predicted);
                var ink = count == 0 ? ZeroCount : color.IsDark ? SKColors.White : PngCanvas.Ink;
                canvas.TextCentered(count.ToString(CultureInfo.InvariantCulture), matrix.Left + (predicted + 0.5f) * cell,
                    matrix.Top + (actual + 0.5f) * cell, actual == predicted || count > 0 ? bold : regular, ink);
            }
    }

    private static void DrawLabels(PngCanvas canvas, string[] labels, SKRect matrix, Layout layout)
    {
        using var font = PngCanvas.Font(layout.LabelSize);
        float cell = layout.Cell, across = layout.Stride * cell - LabelGap;
        for (int k = 0; k < labels.Length; k += layout.Stride)
        {
            float centre = (k + 0.5f) * cell;
            canvas.TextCentered(PngCanvas.Fit(labels[k], font, layout.LeftSpace - 2 * LabelGap), matrix.Left - LabelGap, matrix.Top + centre,
                font, PngCanvas.Ink, TextAnchor.End);
            if (layout.Upwards)
                canvas.TextUpwards(PngCanvas.Fit(labels[k], font, layout.BottomSpace - 2 * LabelGap), matrix.Left + centre, matrix.Bottom + LabelGap,
                    font, PngCanvas.Ink, TextAnchor.End);
            else
                canvas.Text(PngCanvas.Fit(labels[k], font, across), matrix.Left + centre, matrix.Bottom + LabelGap + PngCanvas.CapHeight(font) + 2,
                    font, PngCanvas.Ink, TextAnchor.Middle);
        }
    }

    /// <summary>The sizes of the plot's parts: class labels and the square matrix.</summary>
    /// <param name="Cell">Width and height of one cell in pixels (whole pixels from 2 up).</param>
    /// <param name="LabelSize">Font size of the class labels.</param>
    /// <param name="LeftSpace">Room for the row labels, left of the matrix.</param>
    /// <param name="BottomSpace">Room for the column labels, below the matrix.</param>
    /// <param name="Upwards">Whether the column labels are turned to read upwards (they do not fit across their columns).</param>
    /// <param name="Stride">Every how many classes a label is drawn: 1, 2, 5, 10, 20…</param>
    private readonly record struct Layout(float Cell, float LabelSize, float LeftSpace, float BottomSpace, bool Upwards, int Stride)
    {
        /// <summary>Sizes the parts for <paramref name="labels"/> in an area of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
        public static Layout For(string[] labels, float width, float height)
        {
            int n = labels.Length;
            float guess = Math.Max(0.1f, Math.Min(width, height) / n);
            float labelSize = LabelFont(guess);
            using var font = PngCanvas.Font(labelSize);
            float widest = labels.Max(l => PngCanvas.Measure(l, font));
            float leftSpace = Math.Min(widest, MaxLabelLength(width)) + 2 * LabelGap;
            float lineHeight = font.Spacing;
            // Across their columns when that needs no sparser labelling than the rows do; else upwards.
            float across = lineHeight + 2 * LabelGap;
            float cell = Cells(width - leftSpace, height - across, n);
            int stride = StrideFor(lineHeight + 2, cell);
            bool upwards = StrideFor(widest + LabelGap, cell) > stride;
            float bottomSpace = across;
            if (upwards)
            {
                bottomSpace = Math.Min(widest, MaxLabelLength(height)) + 2 * LabelGap;
                cell = Cells(width - leftSpace, height - bottomSpace, n);
                stride = StrideFor(lineHeight + 2, cell);
            }
            return new Layout(cell, Math.Min(labelSize, LabelFont(cell)), leftSpace, bottomSpace, upwards, stride);
        }

        /// <summary>The class labels' font size for cells of <paramref name="cell"/> pixels: smaller cells take every k-th label instead of a font below 9 pixels.</summary>
        public static float LabelFont(float cell) => Math.Clamp(cell * 0.42f, 9f, 15f);

        /// <summary>The longest a class label may be, in pixels, beside or below a plot <paramref name="extent"/> pixels wide or high.</summary>
        public static float MaxLabelLength(float extent) => Math.Min(extent * 0.25f, 260);

        private static float Cells(float width, float height, int n)
        {
            float cell = Math.Max(0.05f, Math.Min(width, height) / n);
            return cell >= 2 ? MathF.Floor(cell) : cell;
        }

        private static int StrideFor(float needed, float cell)
        {
            for (int stride = 1; ; stride *= 10)
                foreach (int k in new[] { 1, 2, 5 })
                    if (stride * k * cell >= needed || stride * k >= 1_000_000) return stride * k;
        }
    }

    /// <summary>A size that fits the matrix: 800 × 700 for ten short names; 28-pixel cells up to 50 classes (room for their counts), at least 12 up to 133, a matrix 1,600 pixels wide beyond; labels at most 260 pixels long.</summary>
    private static (int Width, int Height) DefaultSize(string[] labels)
    {
        int n = labels.Length;
        if (n <= 10 && labels.All(l => l.Length <= 3)) return (800, 700);
        float side = Math.Clamp(Math.Max(n * 12, Math.Min(n * 28, 1400)), 580, 1600);
        using var font = PngCanvas.Font(Layout.LabelFont(side / n));
        float labelSpace = Math.Min(labels.Max(l => PngCanvas.Measure(l, font)), Layout.MaxLabelLength(float.MaxValue)) + 2 * LabelGap;
        int width = (int)Math.Ceiling(side + 2 * Margin + AxisTitleBand + labelSpace);
        int height = (int)Math.Ceiling(side + Margin + TitleBand + AxisTitleBand + labelSpace);
        return (Math.Min(width, 2000), Math.Min(height, 2000));
    }

    private static bool IsDigits(string[] labels) => labels.SequenceEqual(MnistCatalog.ClassNames);

    private static string Printable(string? label)
        => string.IsNullOrEmpty(label) ? "" : string.Concat(label.Select(c => char.IsControl(c) ? ' ' : c));
}
