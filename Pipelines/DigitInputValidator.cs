using MlNetMnist.Data;

namespace MlNetMnist.Pipelines;

/// <summary>
/// Checks an input before it reaches ONNX Runtime, so that a wrong length, NaN, infinity or a value
/// outside 0–255 is a clear <see cref="ArgumentException"/> rather than a native error or a silent
/// wrong answer.
/// </summary>
public static class DigitInputValidator
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the first problem of <paramref name="input"/> for images of <paramref name="shape"/>.</summary>
    public static void Validate(DigitInput input, ImageShape shape, string? paramName = null)
    {
        paramName ??= nameof(input);
        ArgumentNullException.ThrowIfNull(input, paramName);
        var expected = $"{shape.PixelCount} values ({shape}, 0–255)";
        var pixels = input.Pixels ?? throw new ArgumentException($"Pixels is null; it must hold {expected}.", paramName);
        if (pixels.Length != shape.PixelCount)
            throw new ArgumentException($"Pixels has {pixels.Length} values; it must hold {expected}, channel by channel, row by row.", paramName);
        for (int i = 0; i < pixels.Length; i++)
        {
            float p = pixels[i];
            if (float.IsFinite(p) && p is >= 0 and <= 255) continue;
            int channel = i / shape.PlaneSize, row = i % shape.PlaneSize / shape.Width, column = i % shape.Width;
            var where = shape.Channels == 1 ? $"Pixel {i} (row {row}, column {column})" : $"Value {i} (channel {channel}, row {row}, column {column})";
            var what = float.IsNaN(p) ? "is NaN" : float.IsInfinity(p) ? "is infinite" : $"is {p}";
            var rule = float.IsFinite(p) ? "pixels must be from 0 to 255 (raw values, not normalized)" : "pixels must be numbers from 0 to 255";
            throw new ArgumentException($"{where} {what}; {rule}.", paramName);
        }
    }
}
