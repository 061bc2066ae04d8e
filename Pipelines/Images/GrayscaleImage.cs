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
    /// Decodes PNG or JPEG bytes with ML.NET's <see cref="MLImage"/> and converts them to luma
    /// (ITU-R BT.601 weights). <see cref="MLImage.GetBGRPixels"/> is used because
    /// <see cref="MLImage.Pixels"/> fails with <see cref="MissingMethodException"/> under the
    /// SkiaSharp 3 that this solution resolves; it drops alpha, so transparent pixels read as black.
    /// </summary>
    /// <exception cref="ArgumentException">The decoder rejects the bytes.</exception>
    /// <exception cref="InvalidOperationException">The decoder rejects the pixel format.</exception>
    public static GrayscaleImage Decode(byte[] encoded)
    {
        using var stream = new MemoryStream(encoded, writable: false);
        using var image = MLImage.CreateFromStream(stream);
        byte[] bgr = image.GetBGRPixels;
        var gray = new byte[image.Width * image.Height];
        for (int i = 0, j = 0; i < gray.Length; i++, j += 3)
            gray[i] = (byte)((114 * bgr[j] + 587 * bgr[j + 1] + 299 * bgr[j + 2] + 500) / 1000);
        return new GrayscaleImage(image.Width, image.Height, gray);
    }
}
