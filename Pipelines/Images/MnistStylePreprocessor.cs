using MlNetMnist.Data;

namespace MlNetMnist.Pipelines.Images;

/// <summary>
/// Normalizes an ink image the way the MNIST images were made (LeCun et al.): the digit's
/// bounding box is scaled to fit a 20×20 box keeping its aspect ratio, with anti-aliasing, then
/// placed in the 28×28 field so that its center of mass lies at pixel (14, 14), where MNIST has it.
/// </summary>
internal static class MnistStylePreprocessor
{
    /// <summary>The side of the box the digit is scaled to fit.</summary>
    public const int FitBox = 20;

    /// <summary>The 28×28 pixels (0–255, light ink on black), or null when <paramref name="image"/> has no ink.</summary>
    public static byte[]? Preprocess(InkImage image)
    {
        if (!image.HasInk || InkBounds(image) is not { } bounds) return null;
        var (left, top, right, bottom) = bounds;
        int cropWidth = right - left + 1, cropHeight = bottom - top + 1;
        double scale = (double)FitBox / Math.Max(cropWidth, cropHeight);
        int width = Math.Clamp((int)Math.Round(cropWidth * scale), 1, FitBox);
        int height = Math.Clamp((int)Math.Round(cropHeight * scale), 1, FitBox);
        var digit = ImageResampler.Resize(image.Ink, image.Width, left, top, cropWidth, cropHeight, width, height);
        return PlaceByCenterOfMass(digit, width, height);
    }

    /// <summary>The smallest rectangle (inclusive) holding every inked pixel; null when there is none.</summary>
    private static (int Left, int Top, int Right, int Bottom)? InkBounds(InkImage image)
    {
        int left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1;
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                if (image.Ink[y * image.Width + x] <= 0) continue;
                left = Math.Min(left, x);
                right = Math.Max(right, x);
                top = Math.Min(top, y);
                bottom = Math.Max(bottom, y);
            }
        }
        return right < 0 ? null : (left, top, right, bottom);
    }

    /// <summary>
    /// Pastes the digit into 28×28 with its center of mass at pixel (14, 14), the darkest ink at 255.
    /// (14, 14) is where every MNIST image has it, to the nearest pixel (measured on the test set).
    /// </summary>
    private static byte[] PlaceByCenterOfMass(float[] digit, int width, int height)
    {
        double mass = 0, sumX = 0, sumY = 0;
        float peak = 0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float v = digit[y * width + x];
                mass += v;
                sumX += v * x;
                sumY += v * y;
                peak = Math.Max(peak, v);
            }
        }
        int size = MnistCatalog.Shape.Width;
        double center = size / 2;
        int offsetX = Math.Clamp((int)Math.Round(center - sumX / mass), 0, size - width);
        int offsetY = Math.Clamp((int)Math.Round(center - sumY / mass), 0, size - height);
        var pixels = new byte[MnistCatalog.Shape.PixelCount];
        float scale = 255f / peak;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                pixels[(offsetY + y) * size + offsetX + x] = (byte)Math.Clamp(MathF.Round(digit[y * width + x] * scale), 0, 255);
        return pixels;
    }
}
