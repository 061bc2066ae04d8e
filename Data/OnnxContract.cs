using System.Text.Json;

namespace MlNetMnist.Data;

/// <summary>
/// The names an MlNetMnist ONNX model carries: its input, its outputs and its metadata keys. The
/// exporter writes them and the ML.NET pipelines read them; other tools rely on them, so they never
/// change (docs/onnx-contract.md).
/// </summary>
public static class OnnxContract
{
    /// <summary>Input: float [N, C·H·W] (MNIST: [N, 784]), each image channel by channel, row-major, normalized as (pixel / 255 − mean[c]) / std[c].</summary>
    public const string Input = "input";

    /// <summary>Output: float [N, classes], raw class scores.</summary>
    public const string Logits = "logits";

    /// <summary>Output: float [N, classes], softmax of the logits, classes in the order of <see cref="Labels"/>.</summary>
    public const string Probabilities = "probabilities";

    /// <summary>Metadata key: the mean subtracted from pixel / 255; a number for one channel, a JSON array for several (invariant culture).</summary>
    public const string NormalizationMean = "normalization_mean";

    /// <summary>Metadata key: the standard deviation pixel / 255 − mean is divided by; a number or a JSON array, as <see cref="NormalizationMean"/>.</summary>
    public const string NormalizationStd = "normalization_std";

    /// <summary>Metadata key: the class names in output order, as a JSON array of strings (models before this contract: comma-separated).</summary>
    public const string Labels = "labels";

    /// <summary>Metadata key: the image shape as a JSON array <c>[C, H, W]</c>; models without it are 1×28×28.</summary>
    public const string ImageShape = "image_shape";

    /// <summary>Metadata key: the data set the model was trained on.</summary>
    public const string DataSet = "dataset";

    /// <summary>Metadata key: accuracy on the validation images held out from training (0–1, invariant culture).</summary>
    public const string ValidationAccuracy = "validation_accuracy";

    /// <summary>Metadata key: the network's architecture name.</summary>
    public const string Architecture = "architecture";

    /// <summary>Metadata key, present only for models trained on image folders: <see cref="ImageFileInput"/>, telling readers that <c>model.zip</c> takes image file paths. Absent: raw pixels.</summary>
    public const string InputFormat = "input_format";

    /// <summary>Metadata key, present only for ensembles: the number of networks whose softmax outputs the graph averages (an integer ≥ 2, invariant culture). Absent: one network.</summary>
    public const string EnsembleMembers = "ensemble_members";

    /// <summary>
    /// Metadata key, present only for calibrated models: the temperature T fitted on the validation
    /// hold-out that the logits of the weights as trained (an ensemble: the logarithm of its mean
    /// probabilities) are divided by, so that the probabilities are calibrated (invariant culture,
    /// round-trip). Informational: the graph applies it already. Absent: not calibrated.
    /// </summary>
    public const string Temperature = "temperature";

    /// <summary>The value of <see cref="InputFormat"/> for models whose <c>model.zip</c> reads image files.</summary>
    public const string ImageFileInput = "image-file";

    /// <summary>The producer name of models made by this project.</summary>
    public const string ProducerName = "MlNetMnist";

    /// <summary>Every metadata key above; extra metadata may not use them.</summary>
    public static IReadOnlySet<string> ReservedMetadataKeys { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        NormalizationMean, NormalizationStd, Labels, ImageShape, DataSet, ValidationAccuracy, Architecture, InputFormat, EnsembleMembers, Temperature,
    };

    /// <summary>The value stored under <see cref="Labels"/>: a JSON array of the class names.</summary>
    public static string LabelsToJson(IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return JsonSerializer.Serialize(labels);
    }

    /// <summary>Reads a <see cref="Labels"/> value: a JSON array of strings, or the comma-separated list of older models; null when neither.</summary>
    public static IReadOnlyList<string>? ParseLabels(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (value.TrimStart().StartsWith('['))
        {
            try
            {
                var labels = JsonSerializer.Deserialize<string[]>(value);
                return labels is { Length: > 0 } && labels.All(l => l is not null) ? labels : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
        return value.Split(',');
    }
}
