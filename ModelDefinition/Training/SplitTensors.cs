using MlNetMnist.Data;
using static TorchSharp.torch;

namespace MlNetMnist.ModelDefinition.Training;

/// <summary>The first images and labels of an <see cref="MnistSplit"/> as TorchSharp tensors, normalized as the networks expect.</summary>
public static class SplitTensors
{
    /// <summary>Normalized float images [count, 1, 28, 28]: (pixel / 255 − mean) / std, converted inside libtorch.</summary>
    public static Tensor Images(MnistSplit split, int count)
    {
        ArgumentNullException.ThrowIfNull(split);
        using var bytes = tensor(split.Images.Pixels.AsSpan(0, count * MnistCatalog.PixelCount).ToArray(), [count, 1, 28, 28]);
        return bytes.to_type(ScalarType.Float32).div_(255.0).sub_(MnistNormalization.Mean).div_(MnistNormalization.Std);
    }

    /// <summary>Labels [count] as int64 class indices.</summary>
    public static Tensor Labels(MnistSplit split, int count)
    {
        ArgumentNullException.ThrowIfNull(split);
        using var bytes = tensor(split.Labels.AsSpan(0, count).ToArray());
        return bytes.to_type(ScalarType.Int64);
    }
}
