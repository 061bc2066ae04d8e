namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>Accumulates the differences between two runtimes' outputs, chunk by chunk.</summary>
internal sealed class ParityAccumulator(int classes)
{
    private readonly int _classes = classes;

    private int images;
    private int agreements;
    private double maxProbabilityDiff;
    private double maxLogitDiff;

    /// <summary>Adds one chunk of <c>[n, classes]</c> outputs from both runtimes.</summary>
    public void Add(float[] onnxLogits, float[] torchLogits, float[] onnxProbabilities, float[] torchProbabilities)
    {
        if (onnxLogits.Length != torchLogits.Length || onnxProbabilities.Length != torchProbabilities.Length
            || onnxLogits.Length != onnxProbabilities.Length || onnxLogits.Length % _classes != 0)
            throw new InvalidOperationException(
                $"Output sizes differ: ONNX {onnxLogits.Length}/{onnxProbabilities.Length}, TorchSharp {torchLogits.Length}/{torchProbabilities.Length} values (expected n × {_classes}).");
        maxLogitDiff = Math.Max(maxLogitDiff, MaxAbsDiff(onnxLogits, torchLogits));
        maxProbabilityDiff = Math.Max(maxProbabilityDiff, MaxAbsDiff(onnxProbabilities, torchProbabilities));
        for (var row = 0; row < onnxLogits.Length / _classes; row++)
        {
            if (ArgMax(onnxProbabilities, row) == ArgMax(torchProbabilities, row)) agreements++;
            images++;
        }
    }

    /// <summary>The differences over everything added.</summary>
    public OnnxParityResult Result()
        => new(images, maxProbabilityDiff, maxLogitDiff, images == 0 ? 1.0 : (double)agreements / images);

    /// <summary>The largest |a − b|; NaN when either side has a NaN.</summary>
    private static double MaxAbsDiff(float[] a, float[] b)
    {
        var max = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            var diff = Math.Abs((double)a[i] - b[i]);
            if (double.IsNaN(diff)) return double.NaN;
            max = Math.Max(max, diff);
        }
        return max;
    }

    private int ArgMax(float[] values, int row)
    {
        var best = row * _classes;
        for (var i = best + 1; i < (row + 1) * _classes; i++)
            if (values[i] > values[best]) best = i;
        return best - row * _classes;
    }
}
