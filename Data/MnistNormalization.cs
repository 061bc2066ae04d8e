namespace MlNetMnist.Data;

/// <summary>
/// The normalization applied to MNIST pixels before the network: <c>(pixel / 255 − Mean) / Std</c>.
/// The constants are the mean and standard deviation of the 60,000 training images on the 0–1
/// scale; they travel with every exported model in its metadata.
/// </summary>
public static class MnistNormalization
{
    /// <summary>Mean of the training pixels on the 0–1 scale (33.32 / 255).</summary>
    public const double Mean = 0.1307;

    /// <summary>Standard deviation of the training pixels on the 0–1 scale (78.57 / 255).</summary>
    public const double Std = 0.3081;

    /// <summary>Normalizes raw pixels (0–255) into <paramref name="destination"/>.</summary>
    public static void Normalize(ReadOnlySpan<byte> pixels, Span<float> destination)
    {
        if (destination.Length < pixels.Length) throw new ArgumentException("Destination too short.", nameof(destination));
        const float scale = (float)(1 / (255 * Std));
        const float offset = (float)(-Mean / Std);
        for (int i = 0; i < pixels.Length; i++) destination[i] = pixels[i] * scale + offset;
    }

    /// <summary>Normalizes the images of <paramref name="split"/> from <paramref name="start"/> on into a new array of <paramref name="count"/> × 784 floats.</summary>
    public static float[] Normalize(MnistSplit split, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(split);
        var result = new float[count * MnistCatalog.PixelCount];
        Normalize(split.Images.Pixels.AsSpan(start * MnistCatalog.PixelCount, count * MnistCatalog.PixelCount), result);
        return result;
    }
}
