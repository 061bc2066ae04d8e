using MlNetMnist.Data;

namespace MlNetMnist.Pipelines;

/// <summary>
/// Checks an input before it reaches ONNX Runtime, so that a wrong length, NaN, infinity or a value
/// outside 0–255 is a clear <see cref="ArgumentException"/> rather than a native error or a silent
/// wrong answer.
/// </summary>
public static class DigitInputValidator
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the first problem of <paramref name="input"/>.</summary>
    public static void Validate(DigitInput input, string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(input, paramName ?? nameof(input));
        var pixels = input.Pixels ?? throw new ArgumentException("Pixels is null; it must hold 784 values (28×28, 0–255).", paramName ?? nameof(input));
        if (pixels.Length != MnistCatalog.PixelCount)
            throw new ArgumentException($"Pixels has {pixels.Length} values; it must hold {MnistCatalog.PixelCount} (28×28, row-major).", paramName ?? nameof(input));
        for (int i = 0; i < pixels.Length; i++)
        {
            float p = pixels[i];
            if (float.IsNaN(p))
                throw new ArgumentException($"Pixel {i} (row {i / 28}, column {i % 28}) is NaN; pixels must be numbers from 0 to 255.", paramName ?? nameof(input));
            if (float.IsInfinity(p))
                throw new ArgumentException($"Pixel {i} (row {i / 28}, column {i % 28}) is infinite; pixels must be numbers from 0 to 255.", paramName ?? nameof(input));
            if (p is < 0 or > 255)
                throw new ArgumentException($"Pixel {i} (row {i / 28}, column {i % 28}) is {p}; pixels must be from 0 to 255 (raw values, not normalized).", paramName ?? nameof(input));
        }
    }
}
