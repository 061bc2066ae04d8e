using SkiaSharp;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>Which point of a text its anchor is, along the text.</summary>
internal enum TextAnchor
{
    /// <summary>The anchor is where the text starts.</summary>
    Start,

    /// <summary>The anchor is the middle of the text.</summary>
    Middle,

    /// <summary>The anchor is where the text ends.</summary>
    End,
}

/// <summary>
/// A white image that a report figure is drawn on with SkiaSharp, encoded to PNG at the end, and
/// the drawing the figures share: text in the report's font (anchored at its start, middle or end,
/// centered on a line or turned to read upwards, shortened with an ellipsis to fit), lines and
/// rectangles. Only SkiaSharp 2.88 API, the version ML.NET's ImageAnalytics is built against.
/// </summary>
internal sealed class PngCanvas : IDisposable
{
    /// <summary>Text and axis lines.</summary>
    public static readonly SKColor Ink = new(0x20, 0x20, 0x20);

    /// <summary>Secondary text.</summary>
    public static readonly SKColor Muted = new(0x70, 0x70, 0x70);

    /// <summary>Frames of plot areas and images.</summary>
    public static readonly SKColor Frame = new(0xb8, 0xb8, 0xb8);

    /// <summary>Grid lines behind data.</summary>
    public static readonly SKColor Grid = new(0xe8, 0xe8, 0xe8);

    private readonly SKSurface _surface;

    /// <summary>A white image of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public PngCanvas(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        _surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Cannot create a {width}×{height} image.");
        Width = width;
        Height = height;
        Canvas.Clear(SKColors.White);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The SkiaSharp canvas, for drawing the helpers do not cover.</summary>
    public SKCanvas Canvas => _surface.Canvas;

    /// <summary>The report's font (see <see cref="ReportFonts"/>) at <paramref name="size"/> pixels.</summary>
    public static SKFont Font(float size, bool bold = false)
        => new(ReportFonts.Typeface(bold), size) { Subpixel = true, Edging = SKFontEdging.Antialias };

    /// <summary>The height of digits and capitals above the baseline, for centering text on a line.</summary>
    public static float CapHeight(SKFont font)
    {
        font.GetFontMetrics(out var metrics);
        return metrics.CapHeight > 0 ? metrics.CapHeight : -metrics.Ascent * 0.72f;
    }

    /// <summary>The width <paramref name="text"/> takes in <paramref name="font"/>.</summary>
    public static float Measure(string text, SKFont font)
    {
        int count = font.CountGlyphs(text);
        Span<ushort> glyphs = count <= 256 ? stackalloc ushort[count] : new ushort[count];
        font.GetGlyphs(text, glyphs);
        return font.MeasureText(glyphs);
    }

    /// <summary>
    /// <paramref name="text"/> itself when it fits in <paramref name="width"/> pixels, else as much
    /// of its start as fits followed by an ellipsis (just the ellipsis when nothing else fits).
    /// </summary>
    public static string Fit(string text, SKFont font, float width)
    {
        if (Measure(text, font) <= width) return text;
        string ellipsis = ReportFonts.Ellipsis;
        int low = 0, high = text.Length - 1; // the longest prefix that fits with the ellipsis, by bisection
        while (low < high)
        {
            int mid = (low + high + 1) / 2;
            if (Measure(text[..mid].TrimEnd() + ellipsis, font) <= width) low = mid;
            else high = mid - 1;
        }
        if (low > 0 && char.IsHighSurrogate(text[low - 1])) low--; // never split a surrogate pair
        return text[..low].TrimEnd() + ellipsis;
    }

    /// <summary>Draws <paramref name="text"/> with its baseline at <paramref name="baseline"/>.</summary>
    public void Text(string text, float x, float baseline, SKFont font, SKColor color, TextAnchor anchor = TextAnchor.Start)
    {
        if (text.Length == 0) return;
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        float offset = anchor switch
        {
            TextAnchor.Middle => Measure(text, font) / 2,
            TextAnchor.End => Measure(text, font),
            _ => 0,
        };
        Canvas.DrawText(text, x - offset, baseline, font, paint);
    }

    /// <summary>Draws <paramref name="text"/> with its digits and capitals centered vertically on <paramref name="y"/>.</summary>
    public void TextCentered(string text, float x, float y, SKFont font, SKColor color, TextAnchor anchor = TextAnchor.Middle)
        => Text(text, x, y + CapHeight(font) / 2, font, color, anchor);

    /// <summary>
    /// Draws <paramref name="text"/> turned a quarter turn to read upwards, centered across on
    /// <paramref name="x"/>; along it, <paramref name="anchor"/> is at <paramref name="y"/>
    /// (<see cref="TextAnchor.End"/>: the text ends at <paramref name="y"/> and hangs below it).
    /// </summary>
    public void TextUpwards(string text, float x, float y, SKFont font, SKColor color, TextAnchor anchor = TextAnchor.Middle)
    {
        Canvas.Save();
        Canvas.Translate(x, y);
        Canvas.RotateDegrees(-90);
        TextCentered(text, 0, 0, font, color, anchor);
        Canvas.Restore();
    }

    /// <summary>Draws a straight line.</summary>
    public void Line(float x0, float y0, float x1, float y1, SKColor color, float width = 1)
    {
        using var paint = new SKPaint { Color = color, StrokeWidth = width, IsStroke = true, IsAntialias = width != 1 };
        Canvas.DrawLine(x0, y0, x1, y1, paint);
    }

    /// <summary>Fills a rectangle.</summary>
    public void Fill(SKRect rect, SKColor color)
    {
        using var paint = new SKPaint { Color = color };
        Canvas.DrawRect(rect, paint);
    }

    /// <summary>Draws the outline of a rectangle, one pixel wide, without smoothing.</summary>
    public void Outline(SKRect rect, SKColor color)
    {
        using var paint = new SKPaint { Color = color, IsStroke = true, StrokeWidth = 1 };
        Canvas.DrawRect(rect, paint);
    }

    /// <summary>The image as PNG bytes.</summary>
    public byte[] ToPng()
    {
        using var image = _surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A small white image with <paramref name="message"/> centered in bold, at least 320 pixels wide.</summary>
    public static byte[] Message(string message, int height = 80)
    {
        using var font = Font(16, bold: true);
        int width = Math.Max(320, 24 + (int)Math.Ceiling(Measure(message, font)));
        using var canvas = new PngCanvas(width, height);
        canvas.TextCentered(message, width / 2f, height / 2f, font, Ink);
        return canvas.ToPng();
    }

    /// <inheritdoc />
    public void Dispose() => _surface.Dispose();
}
