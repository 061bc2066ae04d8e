using MlNetMnist.Data;
using static TorchSharp.torch;

namespace MlNetMnist.ModelDefinition.Training;

/// <summary>
/// A training split as tensors, built once: normalized images [N, 1, 28, 28] (float32) and labels
/// [N] (int64), split into a training part and a validation part held out from its end.
/// </summary>
internal sealed class TrainingData : IDisposable
{
    public TrainingData(MnistSplit split, int? limit, int validationCount)
    {
        int count = Math.Min(limit ?? split.Count, split.Count);
        ValidationCount = count > 2 * validationCount ? validationCount : Math.Max(1, count / 10);
        TrainCount = count - ValidationCount;
        var all = SplitTensors.Images(split, count);
        var labels = SplitTensors.Labels(split, count);
        TrainImages = all.narrow(0, 0, TrainCount);
        ValidationImages = all.narrow(0, TrainCount, ValidationCount);
        TrainLabels = labels.narrow(0, 0, TrainCount);
        ValidationLabels = labels.narrow(0, TrainCount, ValidationCount);
        all.Dispose();
        labels.Dispose();
    }

    public int TrainCount { get; }
    public int ValidationCount { get; }
    public Tensor TrainImages { get; }
    public Tensor TrainLabels { get; }
    public Tensor ValidationImages { get; }
    public Tensor ValidationLabels { get; }

    /// <summary>The value of an empty (0) pixel after normalization.</summary>
    public static float Background => (float)(-MnistNormalization.Mean / MnistNormalization.Std);

    public void Dispose()
    {
        TrainImages.Dispose();
        ValidationImages.Dispose();
        TrainLabels.Dispose();
        ValidationLabels.Dispose();
    }
}
