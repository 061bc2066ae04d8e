using MlNetMnist.Data;
using MlNetMnist.Pipelines.Evaluation;
using SkiaSharp;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>
/// <c>misclassified.png</c>: the misclassified images, most confident mistakes first, in a grid.
/// Each is upscaled without smoothing and captioned "true → predicted (probability)", with its
/// index (or its name) below. With no mistakes, a small image saying so.
/// </summary>
public static class MisclassifiedGrid
{
    /// <summary>The file's usual name.</summary>
    public const string FileName = "misclassified.png";

    private const int Margin = 12;
    private const int HeaderHeight = 34;
    private const int CaptionHeight = 36;
    private const int Gap = 10;

    /// <summary>Renders the grid as PNG bytes.</summary>
    /// <param name="evaluation">The evaluation whose <see cref="MnistEvaluation.Misclassified"/> images are shown, in its order.</param>
    /// <param name="images">The evaluated split (<see cref="Misclassification.Index"/> indexes into it).</param>
    /// <param name="imageLabels">Names shown instead of the index, or null.</param>
    /// <param name="maxImages">At most this many images.</param>
    /// <param name="perRow">Images per row.</param>
    /// <param name="scale">Upscaling factor of each image (MNIST: 28×28).</param>
    /// <exception cref="ArgumentException">A misclassified image's index is outside <paramref name="images"/>.</exception>
    public static byte[] RenderPng(MnistEvaluation evaluation, ImageSplit images, IReadOnlyDictionary<int, string>? imageLabels = null,
        int maxImages = 60, int perRow = 10, int scale = 3)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxImages);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perRow);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        var shown = evaluation.Misclassified.Take(maxImages).ToList();
        var outside = shown.FirstOrDefault(m => m.Index < 0 || m.Index >= images.Count);
        if (outside is not null)
            throw new ArgumentException($"Misclassified image {outside.Index} is outside the {images.Count} images given.", nameof(images));
        if (shown.Count == 0) return Message("No misclassified images");

        using var font = new SKFont(ReportFonts.Typeface(), 13) { Subpixel = true };
        using var bold = new SKFont(ReportFonts.Typeface(bold: true), 14) { Subpixel = true };
        using var titleFont = new SKFont(ReportFonts.Typeface(bold: true), 16) { Subpixel = true };
        int digitSize = Math.Max(images.Shape.Height, images.Shape.Width) * scale;
        int tileWidth = Math.Max(digitSize, 96) + Gap;
        int tileHeight = digitSize + CaptionHeight + Gap;
        int columns = Math.Min(perRow, shown.Count);
        int rows = (shown.Count + perRow - 1) / perRow;
        string title = $"Misclassified: {ReportFormat.Count(evaluation.Misclassified.Count)} of {ReportFormat.Count(evaluation.Count)} images"
            + (shown.Count < evaluation.Misclassified.Count ? $", the {shown.Count} most confident shown" : ", most confident first");
        int width = Math.Max(2 * Margin + columns * tileWidth, 2 * Margin + (int)Math.Ceiling(titleFont.MeasureText(title)));
        int height = 2 * Margin + HeaderHeight + rows * tileHeight;

        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Cannot create a {width}×{height} image.");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var ink = new SKPaint { Color = new SKColor(0x20, 0x20, 0x20), IsAntialias = true };
        using var wrong = new SKPaint { Color = new SKColor(0xb0, 0x10, 0x20), IsAntialias = true };
        using var grey = new SKPaint { Color = new SKColor(0x70, 0x70, 0x70), IsAntialias = true };
        using var frame = new SKPaint { Color = new SKColor(0xd0, 0xd0, 0xd0), IsStroke = true, StrokeWidth = 1 };
        canvas.DrawText(title, Margin, Margin + 20, SKTextAlign.Left, titleFont, ink);
        var sampling = new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None);
        for (int i = 0; i < shown.Count; i++)
        {
            var m = shown[i];
            float left = Margin + i % perRow * tileWidth;
            float top = Margin + HeaderHeight + i / perRow * tileHeight;
            float centre = left + (tileWidth - Gap) / 2f;
            var rect = SKRect.Create(centre - digitSize / 2f, top, digitSize, digitSize);
            using (var digit = DigitImage.Create(images, m.Index))
                canvas.DrawImage(digit, rect, sampling, null);
            canvas.DrawRect(rect, frame);
            string caption = $"{m.Actual} {ReportFonts.Arrow} {m.Predicted} ({ConfidencePercent(m.Confidence)})";
            canvas.DrawText(caption, centre, rect.Bottom + 16, SKTextAlign.Center, bold, wrong);
            string name = imageLabels is not null && imageLabels.TryGetValue(m.Index, out var label) ? label : $"#{m.Index}";
            canvas.DrawText(Fit(name, font, tileWidth - Gap), centre, rect.Bottom + 31, SKTextAlign.Center, font, grey);
        }
        return Encode(surface);
    }

    /// <summary>A confidence as a whole percentage rounded down, so that a mistake never reads "100%".</summary>
    internal static string ConfidencePercent(float confidence) => $"{Math.Floor(Math.Clamp(confidence, 0f, 1f) * 100):0}%";

    private static string Fit(string text, SKFont font, float width)
    {
        if (font.MeasureText(text) <= width) return text;
        while (text.Length > 1 && font.MeasureText(text + "…") > width) text = text[..^1];
        return text + "…";
    }

    private static byte[] Message(string message)
    {
        using var font = new SKFont(ReportFonts.Typeface(bold: true), 16) { Subpixel = true };
        int width = Math.Max(320, 2 * Margin + (int)Math.Ceiling(font.MeasureText(message)));
        using var surface = SKSurface.Create(new SKImageInfo(width, 80, SKColorType.Rgba8888, SKAlphaType.Premul))!;
        surface.Canvas.Clear(SKColors.White);
        using var paint = new SKPaint { Color = new SKColor(0x20, 0x20, 0x20), IsAntialias = true };
        surface.Canvas.DrawText(message, width / 2f, 46, SKTextAlign.Center, font, paint);
        return Encode(surface);
    }

    private static byte[] Encode(SKSurface surface)
    {
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
