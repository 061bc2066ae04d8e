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

    /// <summary>The MNIST pixel mean applied to <c>pixel / 255</c> before the model sees an image.</summary>
    public const double MnistMean = MnistNormalization.Mean;

    /// <summary>The MNIST pixel standard deviation applied to <c>pixel / 255</c>.</summary>
    public const double MnistStd = MnistNormalization.Std;

    /// <summary>The ONNX operator set version of the default domain, <see cref="MinimumOpset"/> to <see cref="MaximumOpset"/>.</summary>
    public int Opset { get; init; } = DefaultOpset;

    /// <summary>The mean subtracted from <c>pixel / 255</c>; stored as <c>normalization_mean</c>.</summary>
    public double NormalizationMean { get; init; } = MnistMean;

    /// <summary>The standard deviation dividing <c>pixel / 255 − mean</c>; stored as <c>normalization_std</c>.</summary>
    public double NormalizationStd { get; init; } = MnistStd;

    /// <summary>The data set the network was trained on; stored as <c>dataset</c>.</summary>
    public string DataSet { get; init; } = "MNIST";

    /// <summary>The validation accuracy (a share, 0–1), or <see langword="null"/> when unknown (then not stored).</summary>
    public double? ValidationAccuracy { get; init; }

    /// <summary>More metadata entries; their keys must differ from <see cref="MnistOnnxContract.ReservedMetadataKeys"/>.</summary>
    public IReadOnlyDictionary<string, string>? ExtraMetadata { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> when an option is out of range.</summary>
    internal void Validate()
    {
        if (Opset is < MinimumOpset or > MaximumOpset)
            throw new ArgumentOutOfRangeException(nameof(Opset), Opset, $"Opset must be {MinimumOpset} to {MaximumOpset}.");
        if (!double.IsFinite(NormalizationMean))
            throw new ArgumentOutOfRangeException(nameof(NormalizationMean), NormalizationMean, "The normalization mean must be finite.");
        if (!double.IsFinite(NormalizationStd) || NormalizationStd <= 0)
            throw new ArgumentOutOfRangeException(nameof(NormalizationStd), NormalizationStd, "The normalization standard deviation must be finite and positive.");
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
            if (MnistOnnxContract.ReservedMetadataKeys.Contains(key))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"The extra metadata key '{key}' is reserved; reserved keys: {string.Join(", ", MnistOnnxContract.ReservedMetadataKeys)}."), nameof(ExtraMetadata));
        }
    }
}
