using Microsoft.ML.Data;

namespace MlNetMnist.Pipelines.Images;

/// <summary>An 8-bit grayscale image, row-major: 0 is black, 255 is white.</summary>
internal sealed class GrayscaleImage(int width, int height, byte[] pixels)
{
    /// <summary>Width in pixels.</summary>
    public int Width { get; } = width;

    /// <summary>Height in pixels.</summary>
    public int Height { get; } = height;

    /// <summary>The brightness of each pixel, row by row.</summary>
    public byte[] Pixels { get; } = pixels;

    /// <summary>
    /// Decodes PNG or JPEG bytes with ML.NET's <see cref="MLImage"/> and converts its
    /// <see cref="MLImage.Pixels"/> to luma (ITU-R BT.601 weights). Those pixels are premultiplied
    /// by their alpha, which makes each pixel the color it shows over black: transparent pixels read
    /// as black.
    /// </summary>
    /// <exception cref="ArgumentException">The decoder rejects the bytes.</exception>
    /// <exception cref="InvalidOperationException">The decoder rejects the pixel format.</exception>
    public static GrayscaleImage Decode(byte[] encoded)
    {
        using var stream = new MemoryStream(encoded, writable: false);
        using var image = MLImage.CreateFromStream(stream);
        int width = image.Width, height = image.Height;
        var pixels = image.Pixels; // 4 bytes per pixel, rows possibly padded
        int stride = pixels.Length / height;
        var (red, blue) = image.PixelFormat == MLPixelFormat.Rgba32 ? (0, 2) : (2, 0);
        var gray = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * stride, width * 4);
            for (int x = 0, j = 0; x < width; x++, j += 4)
                gray[y * width + x] = (byte)((299 * row[j + red] + 587 * row[j + 1] + 114 * row[j + blue] + 500) / 1000);
        }
        return new GrayscaleImage(width, height, gray);
    }
}
