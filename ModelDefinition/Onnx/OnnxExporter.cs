using System.Globalization;
using System.Reflection;
using Google.Protobuf;
using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Networks;
using Onnx;

namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>
/// Writes a <see cref="ClassifierNetwork"/> as an ONNX model: input <c>input</c> float <c>[N, C·H·W]</c>
/// (normalized images; <c>[N, 784]</c> for MNIST), outputs <c>logits</c> and <c>probabilities</c>
/// float <c>[N, classes]</c>, and the metadata of <see cref="OnnxContract"/>.
/// </summary>
/// <remarks>
/// The network is read with evaluation semantics (batch norms use their running statistics and
/// are folded into the convolution before them; dropout is dropped) and left unchanged, its
/// training mode included.
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The <c>producer_name</c> of every exported model.</summary>
    public const string ProducerName = OnnxContract.ProducerName;

    /// <summary>Builds the ONNX model of <paramref name="network"/>.</summary>
    /// <exception cref="OnnxExportException">The network holds a layer the exporter cannot write, or does not produce one logit per class.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static ModelProto ToModel(ClassifierNetwork network, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(network.InputShape, network.ClassCount);
        var graph = OnnxGraphWriter.Write(network);
        OutputShapeProbe.Check(network);
        return Model(graph, network.Architecture, network.InputShape, network.ClassCount, members: 1, network.Temperature, options);
    }

    /// <summary>
    /// Builds one ONNX model of <paramref name="ensemble"/>: the same input and outputs as a single
    /// network's, its <c>probabilities</c> the mean of the members' softmax outputs, every member's
    /// weights inside; metadata as for a network plus <see cref="OnnxContract.EnsembleMembers"/>.
    /// </summary>
    /// <exception cref="OnnxExportException">A member holds a layer the exporter cannot write, or does not produce one logit per class.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static ModelProto ToModel(ClassifierEnsemble ensemble, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(ensemble.InputShape, ensemble.ClassCount);
        var graph = OnnxGraphWriter.Write(ensemble);
        foreach (var member in ensemble.Members) OutputShapeProbe.Check(member);
        return Model(graph, ensemble.Architecture, ensemble.InputShape, ensemble.ClassCount, ensemble.Members.Count, ensemble.Temperature, options);
    }

    /// <summary>The serialized ONNX model of <paramref name="ensemble"/>.</summary>
    /// <inheritdoc cref="ToModel(ClassifierEnsemble, OnnxExportOptions)" path="/exception"/>
    public static byte[] ToBytes(ClassifierEnsemble ensemble, OnnxExportOptions options) => ToModel(ensemble, options).ToByteArray();

    private static ModelProto Model(GraphProto graph, string architecture, ImageShape shape, int classes, int members, double temperature, OnnxExportOptions options)
    {
        string what = members == 1 ? $"classifier '{architecture}'" : $"ensemble of {members} classifiers ({architecture}) averaging their softmax probabilities";
        var model = new ModelProto
        {
            IrVersion = OnnxVersions.IrVersionFor(options.Opset),
            ProducerName = ProducerName,
            ProducerVersion = ProducerVersion,
            Graph = graph,
            DocString = FormattableString.Invariant(
                $"{options.DataSet} {what}{(temperature == 1 ? "" : ", calibrated (temperature " + temperature.ToString("0.###", CultureInfo.InvariantCulture) + ")")}: input [N, {shape.PixelCount}], images of {shape.Channels}x{shape.Height}x{shape.Width} (channel by channel, row-major) normalized as (pixel / 255 - mean) / std with mean {options.Normalization.MeanText()} and std {options.Normalization.StdText()}; outputs logits and softmax probabilities for {classes} classes in the order of the 'labels' metadata."),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = options.Opset });
        foreach (var (key, value) in Metadata(architecture, shape, classes, members, temperature, options))
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    /// <summary>The serialized ONNX model of <paramref name="network"/>.</summary>
    /// <inheritdoc cref="ToModel(ClassifierNetwork, OnnxExportOptions)" path="/exception"/>
    public static byte[] ToBytes(ClassifierNetwork network, OnnxExportOptions options) => ToModel(network, options).ToByteArray();

    /// <summary>Writes the ONNX model of <paramref name="network"/> to <paramref name="path"/>, atomically.</summary>
    /// <inheritdoc cref="ToModel(ClassifierNetwork, OnnxExportOptions)" path="/exception"/>
    public static void Save(ClassifierNetwork network, OnnxExportOptions options, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllBytes(path, ToBytes(network, options));
    }

    /// <summary>This assembly's informational version, the <c>producer_version</c>.</summary>
    public static string ProducerVersion { get; } =
        typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(OnnxExporter).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";

    private static IEnumerable<(string Key, string Value)> Metadata(string architecture, ImageShape shape, int classes, int members, double temperature, OnnxExportOptions options)
    {
        yield return (OnnxContract.NormalizationMean, options.Normalization.MeanText());
        yield return (OnnxContract.NormalizationStd, options.Normalization.StdText());
        var labels = options.Labels ?? Enumerable.Range(0, classes).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();
        yield return (OnnxContract.Labels, OnnxContract.LabelsToJson(labels));
        yield return (OnnxContract.ImageShape, shape.ToJson());
        yield return (OnnxContract.DataSet, options.DataSet);
        if (options.ValidationAccuracy is { } accuracy)
            yield return (OnnxContract.ValidationAccuracy, accuracy.ToString("R", CultureInfo.InvariantCulture));
        yield return (OnnxContract.Architecture, architecture);
        if (members > 1)
            yield return (OnnxContract.EnsembleMembers, members.ToString(CultureInfo.InvariantCulture));
        if (temperature != 1)
            yield return (OnnxContract.Temperature, temperature.ToString("R", CultureInfo.InvariantCulture));
        if (options.InputFormat == DataSetFormat.ImageFolder)
            yield return (OnnxContract.InputFormat, OnnxContract.ImageFileInput);
        foreach (var (key, value) in (options.ExtraMetadata ?? new Dictionary<string, string>()).OrderBy(e => e.Key, StringComparer.Ordinal))
            yield return (key, value);
    }
}
