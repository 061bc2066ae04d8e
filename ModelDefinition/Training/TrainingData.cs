using MlNetMnist.Data;
using static TorchSharp.torch;

namespace MlNetMnist.ModelDefinition.Training;

/// <summary>
/// A training split as tensors, built once: normalized images [N, C, H, W] (float32) and labels
/// [N] (int64), split into a training part and a validation part held out from its end.
/// </summary>
internal sealed class TrainingData : IDisposable
{
    public TrainingData(ImageSplit split, PixelNormalization normalization, int? limit, int validationCount)
    {
        int count = Math.Min(limit ?? split.Count, split.Count);
        ValidationCount = ValidationCountFor(split.Count, limit, validationCount);
        TrainCount = count - ValidationCount;
        var all = SplitTensors.Images(split, normalization, count);
        var labels = SplitTensors.Labels(split, count);
        TrainImages = all.narrow(0, 0, TrainCount);
        ValidationImages = all.narrow(0, TrainCount, ValidationCount);
        TrainLabels = labels.narrow(0, 0, TrainCount);
        ValidationLabels = labels.narrow(0, TrainCount, ValidationCount);
        all.Dispose();
        labels.Dispose();
        Background = SplitTensors.Background(split, normalization);
    }

    /// <summary>Images held out of a split of <paramref name="splitCount"/> images: the requested count, or a tenth of a small split.</summary>
    public static int ValidationCountFor(int splitCount, int? limit, int validationCount)
    {
        int count = Math.Min(limit ?? splitCount, splitCount);
        return count > 2 * validationCount ? validationCount : Math.Max(1, count / 10);
    }

    /// <summary>
    /// Calls <paramref name="use"/> with the validation images and labels a run with
    /// <paramref name="options"/> holds out of <paramref name="trainingSet"/>, on the run's thread
    /// count (the caller's is restored).
    /// </summary>
    public static T WithHoldOut<T>(ImageSplit trainingSet, DataSetDescription dataSet, TrainingOptions options, Func<Tensor, Tensor, T> use)
    {
        ArgumentNullException.ThrowIfNull(trainingSet);
        ArgumentNullException.ThrowIfNull(dataSet);
        ArgumentNullException.ThrowIfNull(options);
        int callerThreads = get_num_threads();
        try
        {
            set_num_threads(options.Threads ?? Environment.ProcessorCount);
            using var data = new TrainingData(trainingSet, dataSet.Normalization, options.Limit, options.ValidationCount);
            return use(data.ValidationImages, data.ValidationLabels);
        }
        finally
        {
            set_num_threads(callerThreads);
        }
    }

    public int TrainCount { get; }
    public int ValidationCount { get; }
    public Tensor TrainImages { get; }
    public Tensor TrainLabels { get; }
    public Tensor ValidationImages { get; }
    public Tensor ValidationLabels { get; }

    /// <summary>The normalized value of an empty pixel, per channel (see <see cref="SplitTensors.Background"/>).</summary>
    public float[] Background { get; }

    public void Dispose()
    {
        TrainImages.Dispose();
        ValidationImages.Dispose();
        TrainLabels.Dispose();
        ValidationLabels.Dispose();
    }
}
