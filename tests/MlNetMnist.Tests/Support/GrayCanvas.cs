using Microsoft.ML.Data;

namespace MlNetMnist.Tests.Support;

/// <summary>
/// A grayscale picture for image tests: paste MNIST images (scaled, inverted), draw anti-aliased
/// thick strokes, and save as a real PNG or JPEG file through ML.NET's <see cref="MLImage"/>.
/// </summary>
public sealed class GrayCanvas(int width, int height, byte background)
{
    public int Width { get; } = width;
    public int Height { get; } = height;
    public byte[] Pixels { get; } = Enumerable.Repeat(background, width * height).ToArray();

    /// <summary>Pastes a 28×28 MNIST image (light ink on black) enlarged <paramref name="scale"/> times, at (<paramref name="left"/>, <paramref name="top"/>).</summary>
    public GrayCanvas PasteMnist(ReadOnlySpan<byte> image, int left, int top, int scale, bool invert)
    {
        for (int y = 0; y < 28 * scale; y++)
            for (int x = 0; x < 28 * scale; x++)
            {
                byte v = image[(y / scale) * 28 + x / scale];
                Pixels[(top + y) * Width + left + x] = invert ? (byte)(255 - v) : v;
            }
        return this;
    }

    /// <summary>Draws a stroke with round ends from (x0, y0) to (x1, y1), anti-aliased.</summary>
    public GrayCanvas Line(double x0, double y0, double x1, double y1, double thickness, byte ink)
    {
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                double coverage = Math.Clamp(thickness / 2 + 0.5 - DistanceToSegment(x, y, x0, y0, x1, y1), 0, 1);
                int i = y * Width + x;
                Pixels[i] = (byte)Math.Round(Pixels[i] + (ink - Pixels[i]) * coverage);
            }
        return this;
    }

    /// <summary>Draws a closed ellipse outline as short segments.</summary>
    public GrayCanvas Ellipse(double cx, double cy, double rx, double ry, double thickness, byte ink)
    {
        const int segments = 64;
        for (int k = 0; k < segments; k++)
        {
            double a = 2 * Math.PI * k / segments, b = 2 * Math.PI * (k + 1) / segments;
            Line(cx + rx * Math.Cos(a), cy + ry * Math.Sin(a), cx + rx * Math.Cos(b), cy + ry * Math.Sin(b), thickness, ink);
        }
        return this;
    }

    /// <summary>Saves as PNG or JPEG (by extension) and returns <paramref name="path"/>.</summary>
    public string Save(string path) => Save(path, transparent: false);

    /// <summary>Saves as a PNG of black ink on a transparent background: each pixel's darkness becomes its opacity.</summary>
    public string SaveTransparent(string path) => Save(path, transparent: true);

    private string Save(string path, bool transparent)
    {
        var bgra = new byte[Pixels.Length * 4];
        for (int i = 0; i < Pixels.Length; i++)
        {
            bgra[4 * i] = bgra[4 * i + 1] = bgra[4 * i + 2] = transparent ? (byte)0 : Pixels[i];
            bgra[4 * i + 3] = transparent ? (byte)(255 - Pixels[i]) : (byte)255;
        }
        using var image = MLImage.CreateFromPixels(Width, Height, MLPixelFormat.Bgra32, bgra);
        image.Save(path);
        return path;
    }

    private static double DistanceToSegment(double px, double py, double x0, double y0, double x1, double y1)
    {
        double dx = x1 - x0, dy = y1 - y0, lengthSquared = dx * dx + dy * dy;
        double t = lengthSquared == 0 ? 0 : Math.Clamp(((px - x0) * dx + (py - y0) * dy) / lengthSquared, 0, 1);
        double ex = px - (x0 + t * dx), ey = py - (y0 + t * dy);
        return Math.Sqrt(ex * ex + ey * ey);
    }
}
