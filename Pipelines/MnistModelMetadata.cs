using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using MlNetMnist.Data;

namespace MlNetMnist.Pipelines;

/// <summary>
/// What an MlNetMnist ONNX model says about itself, read and checked against
/// <see cref="MnistOnnxContract"/>: the normalization constants, the class labels, and the rest of its
/// metadata.
/// </summary>
public sealed class MnistModelMetadata
{
    private MnistModelMetadata(IReadOnlyDictionary<string, string> properties, string producer, string? graphName)
    {
        Properties = properties;
        ProducerName = producer;
        GraphName = graphName;
    }

    /// <summary>Every metadata property of the model.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; }

    /// <summary>The model's producer name ("MlNetMnist" for ours).</summary>
    public string ProducerName { get; }

    /// <summary>The ONNX graph's name, if any.</summary>
    public string? GraphName { get; }

    /// <summary>The mean subtracted from pixel / 255.</summary>
    public double NormalizationMean => Number(MnistOnnxContract.NormalizationMean)!.Value;

    /// <summary>The standard deviation (pixel / 255 − mean) is divided by.</summary>
    public double NormalizationStd => Number(MnistOnnxContract.NormalizationStd)!.Value;

    /// <summary>The class labels in output order.</summary>
    public IReadOnlyList<string> Labels => Properties[MnistOnnxContract.Labels].Split(',');

    /// <summary>The data set, if recorded.</summary>
    public string? DataSet => Properties.GetValueOrDefault(MnistOnnxContract.DataSet);

    /// <summary>The validation accuracy (0–1), if recorded.</summary>
    public double? ValidationAccuracy => Number(MnistOnnxContract.ValidationAccuracy);

    /// <summary>The architecture name, if recorded.</summary>
    public string? Architecture => Properties.GetValueOrDefault(MnistOnnxContract.Architecture);

    private double? Number(string key)
        => Properties.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Reads and checks the ONNX model at <paramref name="path"/>.</summary>
    /// <exception cref="ModelFormatException">The file is missing, not ONNX, or does not follow <see cref="MnistOnnxContract"/>.</exception>
    public static MnistModelMetadata Read(string path)
    {
        if (!File.Exists(path)) throw new ModelFormatException(path, "model file not found.");
        return Read(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads and checks the ONNX model stored inside a <c>model.zip</c> saved by <see cref="MnistModel.Save"/>.</summary>
    /// <exception cref="ModelFormatException">The file is missing, not a zip, or holds no MlNetMnist ONNX model.</exception>
    public static MnistModelMetadata ReadFromModelZip(string path) => Read(ReadOnnxBytesFromModelZip(path), path);

    /// <summary>The ONNX model bytes stored inside a <c>model.zip</c>.</summary>
    /// <exception cref="ModelFormatException">The file is missing, not a zip, or holds no ONNX model.</exception>
    internal static byte[] ReadOnnxBytesFromModelZip(string path)
    {
        if (!File.Exists(path)) throw new ModelFormatException(path, "model file not found.");
        try
        {
            using var zip = System.IO.Compression.ZipFile.OpenRead(path);
            var entry = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/OnnxModel", StringComparison.Ordinal))
                ?? throw new ModelFormatException(path, "holds no ONNX model: it is not a model.zip saved by MlNetMnist.");
            using var stream = entry.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            // ML.NET stores the ONNX bytes behind a 32-bit length.
            return bytes.Length >= 4 && BitConverter.ToInt32(bytes, 0) == bytes.Length - 4 ? bytes[4..] : bytes;
        }
        catch (InvalidDataException e)
        {
            throw new ModelFormatException(path, $"is not a valid zip file ({e.Message}).", e);
        }
    }

    /// <summary>Reads and checks an ONNX model held in memory; <paramref name="name"/> names it in errors.</summary>
    /// <exception cref="ModelFormatException">The bytes are not ONNX, or do not follow <see cref="MnistOnnxContract"/>.</exception>
    public static MnistModelMetadata Read(byte[] onnxModel, string name)
    {
        ArgumentNullException.ThrowIfNull(onnxModel);
        InferenceSession session;
        try
        {
            session = new InferenceSession(onnxModel);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelFormatException(name, $"is not a valid ONNX model ({FirstLine(e.Message)}).", e);
        }
        using (session)
        {
            CheckShape(name, session.InputMetadata, MnistOnnxContract.Input, MnistCatalog.PixelCount, "input");
            CheckShape(name, session.OutputMetadata, MnistOnnxContract.Logits, MnistCatalog.ClassCount, "output");
            CheckShape(name, session.OutputMetadata, MnistOnnxContract.Probabilities, MnistCatalog.ClassCount, "output");
            var meta = session.ModelMetadata;
            var properties = new Dictionary<string, string>(meta.CustomMetadataMap);
            var result = new MnistModelMetadata(properties, meta.ProducerName, meta.GraphName);
            foreach (var key in new[] { MnistOnnxContract.NormalizationMean, MnistOnnxContract.NormalizationStd })
            {
                if (result.Number(key) is not double value || !double.IsFinite(value))
                    throw new ModelFormatException(name, $"lacks the metadata property '{key}' (a decimal number); it is not an MlNetMnist model.");
            }
            if (result.NormalizationStd <= 0)
                throw new ModelFormatException(name, $"has {MnistOnnxContract.NormalizationStd} = {result.NormalizationStd}; it must be positive.");
            if (!properties.TryGetValue(MnistOnnxContract.Labels, out var labels) || labels.Split(',').Length != MnistCatalog.ClassCount)
                throw new ModelFormatException(name, $"lacks the metadata property '{MnistOnnxContract.Labels}' with {MnistCatalog.ClassCount} comma-separated labels.");
            return result;
        }
    }

    private static void CheckShape(string name, IReadOnlyDictionary<string, NodeMetadata> nodes, string node, int width, string kind)
    {
        if (!nodes.TryGetValue(node, out var meta))
            throw new ModelFormatException(name, $"has no {kind} named '{node}' (it has {string.Join(", ", nodes.Keys.Select(k => $"'{k}'"))}); it is not an MlNetMnist model.");
        var shape = meta.Dimensions;
        if (meta.ElementType != typeof(float) || shape.Length != 2 || shape[1] != width)
            throw new ModelFormatException(name, $"{kind} '{node}' is {meta.ElementType.Name} [{string.Join(", ", shape)}]; an MlNetMnist model has float [N, {width}].");
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
