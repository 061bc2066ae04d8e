using TorchSharp.Modules;

namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>Folds an evaluation-mode BatchNorm2d into the convolution before it, in double precision.</summary>
internal static class BatchNormFolding
{
    /// <summary>
    /// The weight and bias of one convolution equal to <paramref name="conv"/> followed by
    /// <paramref name="bn"/>: <c>w' = w·f</c>, <c>b' = (b − mean)·f + shift</c> with
    /// <c>f = scale / √(var + eps)</c> per output channel.
    /// </summary>
    public static (float[] Weight, float[] Bias) Fold(string convName, Conv2d conv, string bnName, BatchNorm2d bn)
    {
        var stats = BatchNormStatistics.Read(bnName, bn);
        var weight = TensorValues.Doubles(conv.weight);
        var channels = checked((int)conv.weight.shape[0]);
        if (stats.Channels != channels)
            throw new OnnxExportException(
                $"Layer '{bnName}' normalizes {stats.Channels} channels but convolution '{convName}' produces {channels}.",
                bnName, bn.GetType());
        var bias = conv.bias is null ? new double[channels] : TensorValues.Doubles(conv.bias);
        var perChannel = weight.Length / channels;
        var foldedWeight = new float[weight.Length];
        var foldedBias = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            var factor = stats.Factor(c);
            for (var i = c * perChannel; i < (c + 1) * perChannel; i++)
                foldedWeight[i] = (float)(weight[i] * factor);
            foldedBias[c] = (float)((bias[c] - stats.Mean[c]) * factor + stats.Shift[c]);
        }
        return (foldedWeight, foldedBias);
    }
}
