using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using MlNetMnist.Data;

namespace MlNetMnist.Pipelines;

/// <summary>
/// What an MlNetMnist ONNX model says about itself, read and checked against
/// <see cref="OnnxContract"/>: the normalization constants, the class labels, and the rest of its
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

    /// <summary>The per-channel normalization of pixel / 255 the network expects.</summary>
    public PixelNormalization Normalization { get; private set; } = MnistCatalog.Normalization;

    /// <summary>The shape of one input image (1×28×28 for models that do not record it).</summary>
    public ImageShape Shape { get; private set; } = MnistCatalog.Shape;

    /// <summary>The class names in output order.</summary>
    public IReadOnlyList<string> Labels { get; private set; } = MnistCatalog.ClassNames;

    /// <summary>True when the model was trained on image folders: its <c>model.zip</c> takes image file paths (<c>ImagePath</c>), not raw pixels.</summary>
    public bool TakesImageFiles => Properties.GetValueOrDefault(OnnxContract.InputFormat) == OnnxContract.ImageFileInput;

    /// <summary>The number of classes.</summary>
    public int ClassCount => Labels.Count;

    /// <summary>The data set, if recorded.</summary>
    public string? DataSet => Properties.GetValueOrDefault(OnnxContract.DataSet);

    /// <summary>The validation accuracy (0–1), if recorded.</summary>
    public double? ValidationAccuracy => Number(OnnxContract.ValidationAccuracy);

    /// <summary>The architecture name, if recorded.</summary>
    public string? Architecture => Properties.GetValueOrDefault(OnnxContract.Architecture);

    private double? Number(string key)
        => Properties.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Reads and checks the ONNX model at <paramref name="path"/>.</summary>
    /// <exception cref="ModelFormatException">The file is missing, not ONNX, or does not follow <see cref="OnnxContract"/>.</exception>
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
    /// <exception cref="ModelFormatException">The bytes are not ONNX, or do not follow <see cref="OnnxContract"/>.</exception>
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
            var meta = session.ModelMetadata;
            var properties = new Dictionary<string, string>(meta.CustomMetadataMap);
            var result = new MnistModelMetadata(properties, meta.ProducerName, meta.GraphName);
            result.Normalization = PixelNormalization.TryParse(properties.GetValueOrDefault(OnnxContract.NormalizationMean), properties.GetValueOrDefault(OnnxContract.NormalizationStd))
                ?? throw new ModelFormatException(name,
                    $"lacks the metadata properties '{OnnxContract.NormalizationMean}' and '{OnnxContract.NormalizationStd}' (numbers, or JSON arrays of them, with positive standard deviations); it is not an MlNetMnist model.");
            if (properties.TryGetValue(OnnxContract.ImageShape, out var shapeText))
                result.Shape = ImageShape.TryParseJson(shapeText)
                    ?? throw new ModelFormatException(name, $"has '{OnnxContract.ImageShape}' = {shapeText}; it must be a JSON array [channels, height, width].");
            if (result.Normalization.Channels != result.Shape.Channels)
                throw new ModelFormatException(name, $"normalizes {result.Normalization.Channels} channels, but its images have {result.Shape.Channels}.");
            result.Labels = OnnxContract.ParseLabels(properties.GetValueOrDefault(OnnxContract.Labels)) is { Count: >= 2 } labels ? labels
                : throw new ModelFormatException(name, $"lacks the metadata property '{OnnxContract.Labels}' (a JSON array of at least two class names).");
            CheckShape(name, session.InputMetadata, OnnxContract.Input, result.Shape.PixelCount, "input");
            CheckShape(name, session.OutputMetadata, OnnxContract.Logits, result.ClassCount, "output");
            CheckShape(name, session.OutputMetadata, OnnxContract.Probabilities, result.ClassCount, "output");
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
