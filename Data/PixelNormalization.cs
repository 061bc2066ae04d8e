using System.Globalization;
using System.Text.Json;

namespace MlNetMnist.Data;

/// <summary>
/// How raw pixels (0–255) become network inputs, per channel: <c>(pixel / 255 − Mean[c]) / Std[c]</c>.
/// Computed from a data set's training split (<see cref="Compute"/>), stored in every exported model's
/// metadata and applied by the ML.NET scoring pipeline. For MNIST it is 0.1307 / 0.3081.
/// </summary>
public sealed record PixelNormalization
{
    /// <summary>Decimals kept of a computed mean or standard deviation, so the figures are short and reproducible.</summary>
    public const int Decimals = 4;

    /// <summary>Creates a normalization with one mean and standard deviation per channel (0–1 scale).</summary>
    /// <exception cref="ArgumentException">The lists are empty or of different lengths, or a value is not finite, or a std is not positive.</exception>
    public PixelNormalization(IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(std);
        if (mean.Count == 0 || mean.Count != std.Count)
            throw new ArgumentException($"Need one mean and one standard deviation per channel; got {mean.Count} and {std.Count}.");
        for (int c = 0; c < mean.Count; c++)
        {
            if (!double.IsFinite(mean[c])) throw new ArgumentException($"The mean of channel {c} is {mean[c]}; it must be finite.", nameof(mean));
            if (!double.IsFinite(std[c]) || std[c] <= 0) throw new ArgumentException($"The standard deviation of channel {c} is {std[c]}; it must be finite and positive.", nameof(std));
        }
        Mean = mean.ToArray();
        Std = std.ToArray();
    }

    /// <summary>Mean of each channel's pixels on the 0–1 scale.</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Standard deviation of each channel's pixels on the 0–1 scale.</summary>
    public IReadOnlyList<double> Std { get; }

    /// <summary>Number of channels.</summary>
    public int Channels => Mean.Count;

    /// <summary>The factor a raw pixel of channel <paramref name="c"/> is multiplied by: <c>1 / (255 · Std[c])</c>.</summary>
    public float Scale(int c) => (float)(1 / (255 * Std[c]));

    /// <summary>What is added after scaling, for channel <paramref name="c"/>: <c>−Mean[c] / Std[c]</c>.</summary>
    public float Offset(int c) => (float)(-Mean[c] / Std[c]);

    /// <summary>The mean and standard deviation of every channel of <paramref name="split"/>, rounded to <see cref="Decimals"/> decimals.</summary>
    /// <exception cref="ArgumentException">The split is empty, or a channel has no variation at all.</exception>
    public static PixelNormalization Compute(ImageSplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        if (split.Count == 0) throw new ArgumentException("Cannot compute pixel statistics of an empty split.", nameof(split));
        var shape = split.Shape;
        var histograms = new long[shape.Channels, 256];
        var pixels = split.Pixels;
        int plane = shape.PlaneSize;
        for (int image = 0; image < split.Count; image++)
        {
            int offset = image * shape.PixelCount;
            for (int c = 0; c < shape.Channels; c++)
            {
                var span = pixels.AsSpan(offset + c * plane, plane);
                foreach (var p in span) histograms[c, p]++;
            }
        }
        var mean = new double[shape.Channels];
        var std = new double[shape.Channels];
        for (int c = 0; c < shape.Channels; c++)
        {
            double n = 0, sum = 0, squares = 0;
            for (int v = 0; v < 256; v++)
            {
                double count = histograms[c, v], x = v / 255.0;
                n += count;
                sum += count * x;
                squares += count * x * x;
            }
            double m = sum / n;
            double s = Math.Sqrt(Math.Max(0, squares / n - m * m));
            mean[c] = Math.Round(m, Decimals);
            std[c] = Math.Round(s, Decimals);
            if (std[c] <= 0)
                throw new ArgumentException($"Channel {c} of the {split.Name} images has the same value everywhere: there is nothing to learn from it.", nameof(split));
        }
        return new PixelNormalization(mean, std);
    }

    /// <summary>Normalizes raw pixels in C·H·W order (any number of whole images of <paramref name="shape"/>) into <paramref name="destination"/>.</summary>
    public void Normalize(ReadOnlySpan<byte> pixels, Span<float> destination, ImageShape shape) => NormalizeValues(pixels, destination, shape);

    /// <summary>Normalizes raw pixel values 0–255 given as floats (C·H·W, whole images of <paramref name="shape"/>) into <paramref name="destination"/>, as the byte overload does.</summary>
    public void Normalize(ReadOnlySpan<float> pixels, Span<float> destination, ImageShape shape) => NormalizeValues(pixels, destination, shape);

    private void NormalizeValues<T>(ReadOnlySpan<T> pixels, Span<float> destination, ImageShape shape) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        CheckImages(pixels.Length, destination.Length, shape);
        int plane = shape.PlaneSize;
        for (int start = 0; start < pixels.Length; start += plane)
        {
            int c = start / plane % Channels;
            float scale = Scale(c), offset = Offset(c);
            for (int i = start; i < start + plane; i++) destination[i] = float.CreateTruncating(pixels[i]) * scale + offset;
        }
    }

    private void CheckImages(int values, int destination, ImageShape shape)
    {
        if (shape.Channels != Channels) throw new ArgumentException($"The images have {shape.Channels} channels; this normalization has {Channels}.", nameof(shape));
        if (destination < values) throw new ArgumentException("Destination too short.", nameof(destination));
        if (values % shape.PixelCount != 0) throw new ArgumentException($"{values} values are not whole images of {shape}.", "pixels");
    }

    /// <summary>The images <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> − 1 of <paramref name="split"/>, normalized.</summary>
    public float[] Normalize(ImageSplit split, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(split);
        int size = split.Shape.PixelCount;
        var result = new float[count * size];
        Normalize(split.Pixels.AsSpan(start * size, count * size), result, split.Shape);
        return result;
    }

    /// <summary>
    /// The means as stored under the ONNX metadata key <c>normalization_mean</c>: a plain number for one
    /// channel (as MNIST models have always had it), a JSON array for several.
    /// </summary>
    public string MeanText() => Format(Mean);

    /// <summary>The standard deviations as stored under <c>normalization_std</c> (see <see cref="MeanText"/>).</summary>
    public string StdText() => Format(Std);

    /// <summary>Reads the two metadata values written by <see cref="MeanText"/> and <see cref="StdText"/>; null when either is malformed.</summary>
    public static PixelNormalization? TryParse(string? meanText, string? stdText)
    {
        var mean = ParseValues(meanText);
        var std = ParseValues(stdText);
        if (mean is null || std is null || mean.Length != std.Length || mean.Length == 0) return null;
        if (!mean.All(double.IsFinite) || !std.All(s => double.IsFinite(s) && s > 0)) return null;
        return new PixelNormalization(mean, std);
    }

    private static string Format(IReadOnlyList<double> values) => values.Count == 1
        ? values[0].ToString("R", CultureInfo.InvariantCulture)
        : "[" + string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";

    private static double[]? ParseValues(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (text.StartsWith('['))
        {
            try { return JsonSerializer.Deserialize<double[]>(text); }
            catch (JsonException) { return null; }
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? [value] : null;
    }

    /// <summary>True when both have the same channels and values.</summary>
    public bool Equals(PixelNormalization? other)
        => other is not null && Mean.SequenceEqual(other.Mean) && Std.SequenceEqual(other.Std);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Channels, Mean[0], Std[0]);

    /// <summary><c>mean 0.1307, std 0.3081</c>.</summary>
    public override string ToString() => $"mean {MeanText()}, std {StdText()}";
}
