namespace MlNetMnist.Data;

/// <summary>
/// The names an MlNetMnist ONNX model carries: its input, its outputs and its metadata keys. The
/// exporter writes them and the ML.NET pipelines read them; other tools rely on them, so they never change.
/// </summary>
public static class MnistOnnxContract
{
    /// <summary>Input: float [N, 784], each image row-major 28×28, normalized as (pixel / 255 − mean) / std.</summary>
    public const string Input = "input";

    /// <summary>Output: float [N, 10], raw class scores.</summary>
    public const string Logits = "logits";

    /// <summary>Output: float [N, 10], softmax of the logits, classes 0–9 in order.</summary>
    public const string Probabilities = "probabilities";

    /// <summary>Metadata key: the mean subtracted from pixel / 255 (decimal, invariant culture).</summary>
    public const string NormalizationMean = "normalization_mean";

    /// <summary>Metadata key: the standard deviation pixel / 255 − mean is divided by (decimal, invariant culture).</summary>
    public const string NormalizationStd = "normalization_std";

    /// <summary>Metadata key: the class labels, comma-separated ("0,1,2,3,4,5,6,7,8,9").</summary>
    public const string Labels = "labels";

    /// <summary>Metadata key: the data set the model was trained on.</summary>
    public const string DataSet = "dataset";

    /// <summary>Metadata key: accuracy on the validation images held out from training (0–1, invariant culture).</summary>
    public const string ValidationAccuracy = "validation_accuracy";

    /// <summary>Metadata key: the network's architecture name.</summary>
    public const string Architecture = "architecture";

    /// <summary>The producer name of models made by this project.</summary>
    public const string ProducerName = "MlNetMnist";

    /// <summary>The value stored under <see cref="Labels"/>.</summary>
    public const string LabelsValue = "0,1,2,3,4,5,6,7,8,9";

    /// <summary>Every metadata key above; extra metadata may not use them.</summary>
    public static IReadOnlySet<string> ReservedMetadataKeys { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        NormalizationMean, NormalizationStd, Labels, DataSet, ValidationAccuracy, Architecture,
    };
}
