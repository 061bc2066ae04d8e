using MlNetMnist.Data;
using SkiaSharp;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>An MNIST image (784 bytes, 0 = background, 255 = ink) as a SkiaSharp image, dark ink on white like paper.</summary>
internal static class DigitImage
{
    private static readonly SKImageInfo Info = new(MnistCatalog.ImageSize, MnistCatalog.ImageSize, SKColorType.Gray8, SKAlphaType.Opaque);

    /// <summary>The 28×28 image.</summary>
    public static SKImage Create(ReadOnlySpan<byte> pixels)
    {
        if (pixels.Length != MnistCatalog.PixelCount)
            throw new ArgumentException($"An MNIST image has {MnistCatalog.PixelCount} pixels, not {pixels.Length}.", nameof(pixels));
        var inverted = new byte[pixels.Length];
        for (int i = 0; i < pixels.Length; i++) inverted[i] = (byte)(255 - pixels[i]);
        return SKImage.FromPixelCopy(Info, inverted, MnistCatalog.ImageSize);
    }

    /// <summary>The 28×28 image as PNG bytes (a few hundred bytes; upscale it when showing it).</summary>
    public static byte[] Png(ReadOnlySpan<byte> pixels)
    {
        using var image = Create(pixels);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
