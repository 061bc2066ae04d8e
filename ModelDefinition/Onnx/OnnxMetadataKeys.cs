namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>The keys of the <c>metadata_props</c> entries every exported model carries.</summary>
public static class OnnxMetadataKeys
{
    /// <summary>The mean applied to <c>pixel / 255</c>, as an invariant-culture round-trippable number.</summary>
    public const string NormalizationMean = "normalization_mean";

    /// <summary>The standard deviation applied to <c>pixel / 255</c>, as an invariant-culture round-trippable number.</summary>
    public const string NormalizationStd = "normalization_std";

    /// <summary>The class labels in output order, comma separated: <c>0,1,…,9</c>.</summary>
    public const string Labels = "labels";

    /// <summary>The training data set's name.</summary>
    public const string DataSet = "dataset";

    /// <summary>The validation accuracy (share 0–1, invariant culture); absent when unknown.</summary>
    public const string ValidationAccuracy = "validation_accuracy";

    /// <summary>The network's architecture name.</summary>
    public const string Architecture = "architecture";

    /// <summary>The value stored under <see cref="Labels"/>.</summary>
    public const string LabelsValue = "0,1,2,3,4,5,6,7,8,9";

    /// <summary>Every key above; extra metadata may not use them.</summary>
    public static IReadOnlySet<string> Reserved { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        NormalizationMean, NormalizationStd, Labels, DataSet, ValidationAccuracy, Architecture,
    };
}
