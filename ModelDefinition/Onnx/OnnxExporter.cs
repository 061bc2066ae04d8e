using System.Globalization;
using System.Reflection;
using Google.Protobuf;
using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Networks;
using Onnx;

namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>
/// Writes a <see cref="MnistNetwork"/> as an ONNX model: input <c>input</c> float <c>[N, 784]</c>
/// (normalized images), outputs <c>logits</c> and <c>probabilities</c> float <c>[N, 10]</c>.
/// </summary>
/// <remarks>
/// The network is read with evaluation semantics (batch norms use their running statistics and
/// are folded into the convolution before them; dropout is dropped) and left unchanged, its
/// training mode included.
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The <c>producer_name</c> of every exported model.</summary>
    public const string ProducerName = MnistOnnxContract.ProducerName;

    /// <summary>Builds the ONNX model of <paramref name="network"/>.</summary>
    /// <exception cref="OnnxExportException">The network holds a layer the exporter cannot write, or does not produce 10 logits.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static ModelProto ToModel(MnistNetwork network, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var graph = OnnxGraphWriter.Write(network);
        OutputShapeProbe.Check(network);
        var model = new ModelProto
        {
            IrVersion = OnnxVersions.IrVersionFor(options.Opset),
            ProducerName = ProducerName,
            ProducerVersion = ProducerVersion,
            Graph = graph,
            DocString = FormattableString.Invariant(
                $"MNIST digit classifier '{network.Architecture}': input [N, 784] row-major 28x28 images normalized as (pixel / 255 - {options.NormalizationMean:R}) / {options.NormalizationStd:R}; outputs logits and softmax probabilities for the digits 0-9."),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = options.Opset });
        foreach (var (key, value) in Metadata(network, options))
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    /// <summary>The serialized ONNX model of <paramref name="network"/>.</summary>
    /// <inheritdoc cref="ToModel" path="/exception"/>
    public static byte[] ToBytes(MnistNetwork network, OnnxExportOptions options) => ToModel(network, options).ToByteArray();

    /// <summary>Writes the ONNX model of <paramref name="network"/> to <paramref name="path"/>, atomically.</summary>
    /// <inheritdoc cref="ToModel" path="/exception"/>
    public static void Save(MnistNetwork network, OnnxExportOptions options, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllBytes(path, ToBytes(network, options));
    }

    /// <summary>This assembly's informational version, the <c>producer_version</c>.</summary>
    public static string ProducerVersion { get; } =
        typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(OnnxExporter).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";

    private static IEnumerable<(string Key, string Value)> Metadata(MnistNetwork network, OnnxExportOptions options)
    {
        yield return (MnistOnnxContract.NormalizationMean, options.NormalizationMean.ToString("R", CultureInfo.InvariantCulture));
        yield return (MnistOnnxContract.NormalizationStd, options.NormalizationStd.ToString("R", CultureInfo.InvariantCulture));
        yield return (MnistOnnxContract.Labels, MnistOnnxContract.LabelsValue);
        yield return (MnistOnnxContract.DataSet, options.DataSet);
        if (options.ValidationAccuracy is { } accuracy)
            yield return (MnistOnnxContract.ValidationAccuracy, accuracy.ToString("R", CultureInfo.InvariantCulture));
        yield return (MnistOnnxContract.Architecture, network.Architecture);
        foreach (var (key, value) in (options.ExtraMetadata ?? new Dictionary<string, string>()).OrderBy(e => e.Key, StringComparer.Ordinal))
            yield return (key, value);
    }
}
