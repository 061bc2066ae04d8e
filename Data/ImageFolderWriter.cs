using SkiaSharp;

namespace MlNetMnist.Data;

/// <summary>
/// Writes a split as an image folder: one subfolder per class, one lossless PNG per image (gray or
/// RGB, 8 bits), so that <see cref="ImageFolderDataSet"/> reads back exactly its pixels. Used to turn
/// IDX data sets into image folders (for example MNIST as 70,000 PNG files for <c>mnist bench</c>).
/// </summary>
public static class ImageFolderWriter
{
    /// <summary>
    /// Writes every image of <paramref name="split"/> to <c>folder/{class name}/{prefix}-{index:D5}.png</c>,
    /// in parallel; returns the paths in the split's order.
    /// </summary>
    /// <exception cref="ArgumentException">The class names do not match the split's class count.</exception>
    public static IReadOnlyList<string> Write(ImageSplit split, IReadOnlyList<string> classNames, string folder, string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (classNames.Count != split.ClassCount)
            throw new ArgumentException($"{classNames.Count} class names for {split.ClassCount} classes.", nameof(classNames));
        foreach (var name in classNames) Directory.CreateDirectory(Path.Combine(folder, name));
        var paths = new string[split.Count];
        Parallel.For(0, split.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            paths[i] = Path.Combine(folder, classNames[split.Labels[i]], $"{prefix}-{i:D5}.png");
            File.WriteAllBytes(paths[i], EncodePng(split.Image(i), split.Shape));
        });
        return paths;
    }

    /// <summary>One image (C·H·W bytes of <paramref name="shape"/>, 1 or 3 channels) as PNG bytes.</summary>
    public static byte[] EncodePng(ReadOnlySpan<byte> pixels, ImageShape shape)
    {
        if (shape.Channels is not (1 or 3)) throw new ArgumentException($"PNG files are written for 1 or 3 channels, not {shape.Channels}.", nameof(shape));
        if (pixels.Length != shape.PixelCount) throw new ArgumentException($"{pixels.Length} values are not one image of {shape}.", nameof(pixels));
        int plane = shape.PlaneSize;
        SKImageInfo info;
        byte[] packed;
        if (shape.Channels == 1)
        {
            info = new SKImageInfo(shape.Width, shape.Height, SKColorType.Gray8, SKAlphaType.Opaque);
            packed = pixels.ToArray();
        }
        else
        {
            info = new SKImageInfo(shape.Width, shape.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
            packed = new byte[plane * 4];
            for (int i = 0; i < plane; i++)
            {
                packed[4 * i] = pixels[i];
                packed[4 * i + 1] = pixels[plane + i];
                packed[4 * i + 2] = pixels[2 * plane + i];
                packed[4 * i + 3] = 255;
            }
        }
        using var bitmap = new SKBitmap(info);
        System.Runtime.InteropServices.Marshal.Copy(packed, 0, bitmap.GetPixels(), packed.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100) ?? throw new InvalidOperationException("SkiaSharp cannot encode PNG.");
        return data.ToArray();
    }
}
