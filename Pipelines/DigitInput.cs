using Microsoft.ML.Data;
using MlNetMnist.Data;

namespace MlNetMnist.Pipelines;

/// <summary>One image to classify: 784 raw pixels, row-major 28×28, 0 (background) to 255 (ink).</summary>
public sealed class DigitInput
{
    /// <summary>The pixels, raw 0–255, row by row. Exactly 784 values.</summary>
    [ColumnName(MnistDataView.PixelsColumn)]
    [VectorType(MnistCatalog.PixelCount)]
    public float[] Pixels { get; set; } = [];

    /// <summary>Creates an input from raw bytes (an MNIST image as stored in the IDX files).</summary>
    /// <exception cref="ArgumentException"><paramref name="pixels"/> does not hold 784 values.</exception>
    public static DigitInput FromBytes(ReadOnlySpan<byte> pixels)
    {
        if (pixels.Length != MnistCatalog.PixelCount)
            throw new ArgumentException($"An MNIST image has {MnistCatalog.PixelCount} pixels (28×28); got {pixels.Length}.", nameof(pixels));
        var values = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++) values[i] = pixels[i];
        return new DigitInput { Pixels = values };
    }
}
