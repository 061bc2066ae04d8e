using MlNetMnist.Data;
using MlNetMnist.Pipelines.Evaluation;
using SkiaSharp;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>
/// <c>misclassified.png</c>: the misclassified images, most confident mistakes first, in a grid.
/// Each is upscaled without smoothing and captioned "true → predicted (probability)" with the class
/// names (long ones shortened with an ellipsis to fit the tile), with its index (or its name) below. With no mistakes, a small image saying so.
/// </summary>
public static class MisclassifiedGrid
{
    /// <summary>The file's usual name.</summary>
    public const string FileName = "misclassified.png";

    private const int Margin = 12;
    private const int HeaderHeight = 34;
    private const int CaptionHeight = 36;
    private const int Gap = 10;
    private static readonly SKColor WrongColor = new(0xb0, 0x10, 0x20);
    private static readonly SKColor FrameColor = new(0xd0, 0xd0, 0xd0);

    /// <summary>Renders the grid as PNG bytes.</summary>
    /// <param name="evaluation">The evaluation whose <see cref="MnistEvaluation.Misclassified"/> images are shown, in its order.</param>
    /// <param name="images">The evaluated split (<see cref="Misclassification.Index"/> indexes into it).</param>
    /// <param name="imageLabels">Names shown instead of the index, or null.</param>
    /// <param name="maxImages">At most this many images.</param>
    /// <param name="perRow">Images per row.</param>
    /// <param name="scale">Upscaling factor of each image (MNIST: 28×28).</param>
    /// <param name="classNames">The class names in output order, or null for the class numbers.</param>
    /// <exception cref="ArgumentException">A misclassified image's index is outside <paramref name="images"/>, or <paramref name="classNames"/> does not name every class.</exception>
    public static byte[] RenderPng(MnistEvaluation evaluation, ImageSplit images, IReadOnlyDictionary<int, string>? imageLabels = null,
        int maxImages = 60, int perRow = 10, int scale = 3, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var names = ClassLabels.Resolve(classNames, evaluation.ConfusionMatrix.Length);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxImages);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perRow);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        var shown = evaluation.Misclassified.Take(maxImages).ToList();
        var outside = shown.FirstOrDefault(m => m.Index < 0 || m.Index >= images.Count);
        if (outside is not null)
            throw new ArgumentException($"Misclassified image {outside.Index} is outside the {images.Count} images given.", nameof(images));
        if (shown.Count == 0) return PngCanvas.Message("No misclassified images");

        using var font = PngCanvas.Font(13);
        using var bold = PngCanvas.Font(14, bold: true);
        using var titleFont = PngCanvas.Font(16, bold: true);
        int digitSize = Math.Max(images.Shape.Height, images.Shape.Width) * scale;
        int tileWidth = Math.Max(digitSize, 96) + Gap;
        int tileHeight = digitSize + CaptionHeight + Gap;
        int columns = Math.Min(perRow, shown.Count);
        int rows = (shown.Count + perRow - 1) / perRow;
        string title = $"Misclassified: {ReportFormat.Count(evaluation.Misclassified.Count)} of {ReportFormat.Count(evaluation.Count)} images"
            + (shown.Count < evaluation.Misclassified.Count ? $", the {shown.Count} most confident shown" : ", most confident first");
        int width = Math.Max(2 * Margin + columns * tileWidth, 2 * Margin + (int)Math.Ceiling(PngCanvas.Measure(title, titleFont)));
        int height = 2 * Margin + HeaderHeight + rows * tileHeight;

        using var canvas = new PngCanvas(width, height);
        canvas.Text(title, Margin, Margin + 20, titleFont, PngCanvas.Ink);
        using var pixelated = new SKPaint { FilterQuality = SKFilterQuality.None };
        for (int i = 0; i < shown.Count; i++)
        {
            var m = shown[i];
            float left = Margin + i % perRow * tileWidth;
            float top = Margin + HeaderHeight + i / perRow * tileHeight;
            float centre = left + (tileWidth - Gap) / 2f;
            var rect = SKRect.Create(centre - digitSize / 2f, top, digitSize, digitSize);
            using (var digit = DigitImage.Create(images, m.Index))
                canvas.Canvas.DrawImage(digit, rect, pixelated);
            canvas.Outline(rect, FrameColor);
            string caption = Caption(names[m.Actual], names[m.Predicted], ConfidencePercent(m.Confidence), bold, tileWidth - Gap);
            canvas.Text(caption, centre, rect.Bottom + 16, bold, WrongColor, TextAnchor.Middle);
            string name = imageLabels is not null && imageLabels.TryGetValue(m.Index, out var label) ? label : $"#{m.Index}";
            canvas.Text(PngCanvas.Fit(name, font, tileWidth - Gap), centre, rect.Bottom + 31, font, PngCanvas.Muted, TextAnchor.Middle);
        }
        return canvas.ToPng();
    }

    /// <summary>
    /// "true → predicted (probability)" in at most <paramref name="width"/> pixels: when too wide, the
    /// two names are shortened with an ellipsis, each to half the room left by the rest.
    /// </summary>
    internal static string Caption(string actual, string predicted, string percent, SKFont font, float width)
    {
        string Compose(string a, string p) => $"{a} {ReportFonts.Arrow} {p} ({percent})";
        string whole = Compose(actual, predicted);
        if (PngCanvas.Measure(whole, font) <= width) return whole;
        float room = Math.Max(0, width - PngCanvas.Measure(Compose("", ""), font));
        float actualWidth = PngCanvas.Measure(actual, font), predictedWidth = PngCanvas.Measure(predicted, font);
        // The shorter name keeps its width when it fits in half; the longer one gets the rest.
        float forActual = actualWidth <= room / 2 ? actualWidth : predictedWidth <= room / 2 ? room - predictedWidth : room / 2;
        return Compose(PngCanvas.Fit(actual, font, forActual), PngCanvas.Fit(predicted, font, room - forActual));
    }

    /// <summary>A confidence as a whole percentage rounded down, so that a mistake never reads "100%".</summary>
    internal static string ConfidencePercent(float confidence) => $"{Math.Floor(Math.Clamp(confidence, 0f, 1f) * 100):0}%";
}
