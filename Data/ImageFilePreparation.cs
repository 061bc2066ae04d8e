using SkiaSharp;

namespace MlNetMnist.Data;

/// <summary>
/// What ML.NET's image transforms (<see cref="ImageFileTransforms"/>) cannot do, done before them:
/// transparent pixels composited onto white (the transforms composite onto black, so black ink on a
/// transparent background would vanish), and the EXIF orientation applied (the transforms ignore it).
/// A file that needs either is written as an opaque, upright PNG copy, and the transforms decode the
/// copy; every other file is decoded as it is. Whoever scores image files with a model trained on
/// image folders gets the training pixels by passing such files through <see cref="Prepare"/> too
/// (<c>model.zip</c> alone, which is ML.NET's transforms only, sees them on black and unturned).
/// </summary>
public static class ImageFilePreparation
{
    /// <summary>What preparing a file did to it.</summary>
    [Flags]
    public enum Changes
    {
        /// <summary>Nothing: the file is decoded as it is.</summary>
        None = 0,
        /// <summary>Transparent pixels were composited onto white.</summary>
        CompositedOntoWhite = 1,
        /// <summary>The EXIF orientation was applied.</summary>
        Rotated = 2,
    }

    /// <summary>True when <paramref name="header"/> allows something <see cref="Prepare"/> may change.</summary>
    public static bool MayNeedPreparation(ImageFileHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return header.MayHaveAlpha || header.NeedsRotation;
    }

    /// <summary>
    /// Writes an opaque, upright PNG copy of the image in <paramref name="encoded"/> to
    /// <paramref name="destination"/> when it has transparent pixels or an EXIF orientation, and says what changed;
    /// writes nothing and returns <see cref="Changes.None"/> when the image needs neither.
    /// </summary>
    /// <exception cref="ArgumentException">SkiaSharp cannot decode the image.</exception>
    public static Changes Prepare(ReadOnlySpan<byte> encoded, ImageFileHeader header, string destination)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        var png = PreparedPng(encoded, header, out var changes);
        if (png is null) return Changes.None;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        File.WriteAllBytes(destination, png);
        return changes;
    }

    /// <summary>
    /// The opaque, upright PNG bytes of the image in <paramref name="encoded"/> when it has transparent
    /// pixels or an EXIF orientation (<paramref name="changes"/> says which); null when it needs neither.
    /// </summary>
    /// <exception cref="ArgumentException">SkiaSharp cannot decode the image.</exception>
    public static byte[]? PreparedPng(ReadOnlySpan<byte> encoded, ImageFileHeader header, out Changes changes)
    {
        ArgumentNullException.ThrowIfNull(header);
        changes = Changes.None;
        if (!MayNeedPreparation(header)) return null;
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data) ?? throw new ArgumentException("SkiaSharp cannot read the image.");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var result = codec.GetPixels(info, out byte[] pixels);
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            throw new ArgumentException($"SkiaSharp cannot decode the image ({result}).");

        for (int i = 3; i < pixels.Length; i += 4)
        {
            if (pixels[i] == 255) continue;
            changes |= Changes.CompositedOntoWhite;
            break;
        }
        if (header.NeedsRotation) changes |= Changes.Rotated;
        if (changes == Changes.None) return null;

        if ((changes & Changes.CompositedOntoWhite) != 0) CompositeOntoWhite(pixels);
        var (width, height, upright) = Orient(pixels, info.Width, info.Height, header.Orientation);
        var opaque = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(opaque);
        System.Runtime.InteropServices.Marshal.Copy(upright, 0, bitmap.GetPixels(), upright.Length);
        using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new ArgumentException("SkiaSharp cannot encode the prepared image as PNG.");
        return png.ToArray();
    }

    /// <summary>Straight (unpremultiplied) RGBA onto white: <c>c·a + 255·(1 − a)</c>, rounded; alpha becomes 255.</summary>
    private static void CompositeOntoWhite(byte[] rgba)
    {
        for (int i = 0; i < rgba.Length; i += 4)
        {
            int a = rgba[i + 3];
            if (a == 255) continue;
            int white = 255 * (255 - a);
            rgba[i] = (byte)((rgba[i] * a + white + 127) / 255);
            rgba[i + 1] = (byte)((rgba[i + 1] * a + white + 127) / 255);
            rgba[i + 2] = (byte)((rgba[i + 2] * a + white + 127) / 255);
            rgba[i + 3] = 255;
        }
    }

    /// <summary>Turns and mirrors RGBA pixels as EXIF orientation <paramref name="orientation"/> (1–8) says, so they are upright.</summary>
    internal static (int Width, int Height, byte[] Pixels) Orient(byte[] rgba, int width, int height, int orientation)
    {
        if (orientation is < 2 or > 8) return (width, height, rgba);
        bool swap = orientation >= 5;
        int w = swap ? height : width, h = swap ? width : height;
        var result = new byte[rgba.Length];
        var source = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(rgba);
        var target = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(result.AsSpan());
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                // (x, y) in the upright image comes from (sx, sy) in the stored one.
                var (sx, sy) = orientation switch
                {
                    2 => (width - 1 - x, y),
                    3 => (width - 1 - x, height - 1 - y),
                    4 => (x, height - 1 - y),
                    5 => (y, x),
                    6 => (y, height - 1 - x),
                    7 => (width - 1 - y, height - 1 - x),
                    _ => (width - 1 - y, x),
                };
                target[y * w + x] = source[sy * width + sx];
            }
        }
        return (w, h, result);
    }
}
