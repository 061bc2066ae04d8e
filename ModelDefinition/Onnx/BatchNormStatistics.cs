using TorchSharp.Modules;

namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>What a BatchNorm2d applies in evaluation: <c>(x − Mean) / √(Variance + Epsilon) · Scale + Shift</c>.</summary>
internal sealed record BatchNormStatistics(double[] Mean, double[] Variance, double[] Scale, double[] Shift, double Epsilon)
{
    /// <summary>The number of channels.</summary>
    public int Channels => Mean.Length;

    /// <summary>Reads the running statistics and affine parameters of <paramref name="bn"/>, named <paramref name="name"/>.</summary>
    /// <exception cref="OnnxExportException">The layer keeps no running statistics.</exception>
    public static BatchNormStatistics Read(string name, BatchNorm2d bn)
    {
        if (bn.running_mean is null || bn.running_var is null)
            throw new OnnxExportException(
                $"Layer '{name}' ({bn.GetType().FullName}) keeps no running statistics (track_running_stats is off), so in evaluation it normalizes each batch by its own statistics, which an ONNX model cannot reproduce.",
                name, bn.GetType());
        var mean = TensorValues.Doubles(bn.running_mean);
        var variance = TensorValues.Doubles(bn.running_var);
        var scale = bn.affine ? TensorValues.Doubles(bn.weight) : Enumerable.Repeat(1.0, mean.Length).ToArray();
        var shift = bn.affine && bn.bias is not null ? TensorValues.Doubles(bn.bias) : new double[mean.Length];
        return new BatchNormStatistics(mean, variance, scale, shift, bn.eps);
    }

    /// <summary>The factor channel <paramref name="c"/> is multiplied by: <c>Scale / √(Variance + Epsilon)</c>.</summary>
    public double Factor(int c) => Scale[c] / Math.Sqrt(Variance[c] + Epsilon);
}
