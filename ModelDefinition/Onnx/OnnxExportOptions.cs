using MlNetMnist.Data;
using System.Globalization;

namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>How <see cref="OnnxExporter"/> writes a model: the opset and the metadata stored with it.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>The opset written when none is chosen.</summary>
    public const int DefaultOpset = 17;

    /// <summary>The lowest opset the exporter writes (Softmax over one axis needs 13).</summary>
    public const int MinimumOpset = 13;

    /// <summary>The highest opset the exporter writes (ONNX 1.18: opset 23, IR version 11).</summary>
    public const int MaximumOpset = 23;

    /// <summary>The ONNX operator set version of the default domain, <see cref="MinimumOpset"/> to <see cref="MaximumOpset"/>.</summary>
    public int Opset { get; init; } = DefaultOpset;

    /// <summary>The per-channel normalization of <c>pixel / 255</c>; stored as <c>normalization_mean</c> and <c>normalization_std</c>. Default: MNIST's.</summary>
    public PixelNormalization Normalization { get; init; } = MnistCatalog.Normalization;

    /// <summary>The class names in output order; stored as <c>labels</c>. Null: the class numbers "0", "1", ….</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>The data set the network was trained on; stored as <c>dataset</c>.</summary>
    public string DataSet { get; init; } = MnistCatalog.DataSetName;

    /// <summary>What the model's <c>model.zip</c> takes: raw pixels (IDX data sets) or image files (image folders); stored as <c>input_format</c> for image files.</summary>
    public DataSetFormat InputFormat { get; init; } = DataSetFormat.Idx;

    /// <summary>The options that describe <paramref name="dataSet"/>: its normalization, class names and name.</summary>
    public static OnnxExportOptions For(DataSetDescription dataSet, double? validationAccuracy = null)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        return new OnnxExportOptions
        {
            Normalization = dataSet.Normalization,
            Labels = dataSet.ClassNames,
            DataSet = dataSet.Name,
            InputFormat = dataSet.Format,
            ValidationAccuracy = validationAccuracy,
        };
    }

    /// <summary>The validation accuracy (a share, 0–1), or <see langword="null"/> when unknown (then not stored).</summary>
    public double? ValidationAccuracy { get; init; }

    /// <summary>More metadata entries; their keys must differ from <see cref="OnnxContract.ReservedMetadataKeys"/>.</summary>
    public IReadOnlyDictionary<string, string>? ExtraMetadata { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> when an option is out of range.</summary>
    internal void Validate(ImageShape shape, int classes)
    {
        if (Opset is < MinimumOpset or > MaximumOpset)
            throw new ArgumentOutOfRangeException(nameof(Opset), Opset, $"Opset must be {MinimumOpset} to {MaximumOpset}.");
        ArgumentNullException.ThrowIfNull(Normalization, nameof(Normalization));
        if (Normalization.Channels != shape.Channels)
            throw new ArgumentException($"The normalization has {Normalization.Channels} channels, but the network takes {shape.Channels}.", nameof(Normalization));
        if (Labels is not null && Labels.Count != classes)
            throw new ArgumentException($"{Labels.Count} labels were given, but the network has {classes} outputs.", nameof(Labels));
        if (Labels is not null && Labels.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("Labels must not be empty.", nameof(Labels));
        if (string.IsNullOrWhiteSpace(DataSet))
            throw new ArgumentException("The data set name must not be empty.", nameof(DataSet));
        if (ValidationAccuracy is { } accuracy && (!double.IsFinite(accuracy) || accuracy < 0 || accuracy > 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationAccuracy), accuracy, "The validation accuracy must be a share from 0 to 1.");
        foreach (var (key, value) in ExtraMetadata ?? new Dictionary<string, string>())
        {
            if (value is null)
                throw new ArgumentException($"The extra metadata value of '{key}' must not be null.", nameof(ExtraMetadata));
            if (string.IsNullOrWhiteSpace(key))
                throw new ArgumentException("Extra metadata keys must not be empty.", nameof(ExtraMetadata));
            if (OnnxContract.ReservedMetadataKeys.Contains(key))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"The extra metadata key '{key}' is reserved; reserved keys: {string.Join(", ", OnnxContract.ReservedMetadataKeys)}."), nameof(ExtraMetadata));
        }
    }
}
