using MlNetMnist.Data;
using SkiaSharp;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>
/// An image of a split as a SkiaSharp image: RGB images as they are, grayscale images from IDX
/// files (light ink on black, as MNIST stores them) inverted to dark ink on white like paper,
/// grayscale images from files as they are.
/// </summary>
internal static class DigitImage
{
    /// <summary>Image <paramref name="index"/> of <paramref name="split"/>.</summary>
    public static SKImage Create(ImageSplit split, int index)
    {
        ArgumentNullException.ThrowIfNull(split);
        var shape = split.Shape;
        var pixels = split.Image(index);
        bool invert = shape.Channels == 1 && split.Sources is null;
        var rgba = new byte[shape.PlaneSize * 4];
        for (int i = 0; i < shape.PlaneSize; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                byte value = pixels[(shape.Channels == 1 ? 0 : c) * shape.PlaneSize + i];
                rgba[4 * i + c] = invert ? (byte)(255 - value) : value;
            }
            rgba[4 * i + 3] = 255;
        }
        var info = new SKImageInfo(shape.Width, shape.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        return SKImage.FromPixelCopy(info, rgba, shape.Width * 4);
    }

    /// <summary>Image <paramref name="index"/> of <paramref name="split"/> as PNG bytes (small; upscale it when showing it).</summary>
    public static byte[] Png(ImageSplit split, int index)
    {
        using var image = Create(split, index);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
