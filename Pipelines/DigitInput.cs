using Microsoft.ML.Data;
using MlNetMnist.Data;

namespace MlNetMnist.Pipelines;

/// <summary>
/// One image to classify, as raw pixel values 0–255 in C·H·W order (channel by channel, each row
/// by row): 784 values for an MNIST digit. The length is the model's <see cref="MnistModelMetadata.Shape"/>;
/// <see cref="MnistModel.CreatePredictionEngine"/> gives ML.NET the size at run time.
/// </summary>
public sealed class DigitInput
{
    /// <summary>The pixels, raw 0–255, C·H·W order: <see cref="ImageShape.PixelCount"/> values of the model's shape.</summary>
    [ColumnName(ImageSplitDataView.PixelsColumn)]
    [VectorType]
    public float[] Pixels { get; set; } = [];

    /// <summary>Creates an input from raw bytes (an image as stored in the IDX files or an <see cref="ImageSplit"/>).</summary>
    public static DigitInput FromBytes(ReadOnlySpan<byte> pixels)
    {
        var values = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++) values[i] = pixels[i];
        return new DigitInput { Pixels = values };
    }
}
