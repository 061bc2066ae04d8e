using System.Globalization;
using Google.Protobuf;
using Onnx;
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

    /// <summary>
    /// True for a raw-pixel model of MNIST's digits (1×28×28, the data set recorded as MNIST or, in models from
    /// before data sets were recorded, not at all): a user's picture of a digit is preprocessed as
    /// MNIST's own images were made (<see cref="Images.DigitImageLoader"/>). Any other model sees an image
    /// file as its training data did: decoded, resized and converted by <see cref="ImageFileTransforms"/>.
    /// </summary>
    public bool IsDigitModel => !TakesImageFiles && Shape == MnistCatalog.Shape && DataSet is null or MnistCatalog.DataSetName;

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

    /// <summary>
    /// Reads and checks the model at <paramref name="path"/>: an ONNX file, or a <c>model.zip</c>
    /// saved by <see cref="MnistModel.Save"/>, told apart by content (<see cref="ModelFile.Detect"/>).
    /// Parses the ONNX protobuf only: no ONNX Runtime session is created.
    /// </summary>
    /// <exception cref="ModelFormatException">The file is missing, not ONNX or a model.zip, or does not follow <see cref="OnnxContract"/>.</exception>
    public static MnistModelMetadata Read(string path)
        => ModelFile.Detect(path) == ModelFileKind.ModelZip ? ReadFromModelZip(path) : Read(File.ReadAllBytes(path), path);

    /// <summary>Reads and checks the ONNX model stored inside a <c>model.zip</c> saved by <see cref="MnistModel.Save"/>.</summary>
    /// <exception cref="ModelFormatException">The file is missing, not a zip, or holds no MlNetMnist ONNX model.</exception>
    public static MnistModelMetadata ReadFromModelZip(string path) => Read(ModelZip.ReadOnnx(path), path);

    /// <summary>
    /// Reads and checks an ONNX model held in memory; <paramref name="name"/> names it in errors.
    /// Parses the protobuf (metadata, graph inputs and outputs) without an ONNX Runtime session.
    /// </summary>
    /// <exception cref="ModelFormatException">The bytes are not ONNX, or do not follow <see cref="OnnxContract"/>.</exception>
    public static MnistModelMetadata Read(byte[] onnxModel, string name)
    {
        ArgumentNullException.ThrowIfNull(onnxModel);
        var model = Parse(onnxModel, name);
        var properties = new Dictionary<string, string>();
        foreach (var property in model.MetadataProps) properties[property.Key] = property.Value;
        var result = new MnistModelMetadata(properties, model.ProducerName, model.Graph.Name is { Length: > 0 } graphName ? graphName : null);
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
        var initializers = model.Graph.Initializer.Select(i => i.Name).ToHashSet();
        var inputs = model.Graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        CheckShape(name, inputs, OnnxContract.Input, result.Shape.PixelCount, "input");
        CheckShape(name, model.Graph.Output, OnnxContract.Logits, result.ClassCount, "output");
        CheckShape(name, model.Graph.Output, OnnxContract.Probabilities, result.ClassCount, "output");
        return result;
    }

    /// <summary>The ONNX <c>ModelProto</c> in <paramref name="bytes"/>: protobuf that parses, with a graph and an IR version.</summary>
    private static ModelProto Parse(byte[] bytes, string name)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw NotOnnx(name, e.Message, e);
        }
        if (model.IrVersion <= 0 || model.Graph is null || model.OpsetImport.Count == 0)
            throw NotOnnx(name, "no IR version, graph or opset import");
        return model;
    }

    private static ModelFormatException NotOnnx(string name, string detail, Exception? inner = null)
        => new(name, $"is not a valid ONNX model ({FirstLine(detail)}), nor a model.zip (a zip archive starts with 'PK').", inner);

    private static void CheckShape(string name, IEnumerable<ValueInfoProto> values, string node, int width, string kind)
    {
        var list = values.ToList();
        var value = list.FirstOrDefault(v => v.Name == node)
            ?? throw new ModelFormatException(name, $"has no {kind} named '{node}' (it has {string.Join(", ", list.Select(v => $"'{v.Name}'"))}); it is not an MlNetMnist model.");
        var tensor = value.Type?.TensorType;
        var dims = tensor?.Shape?.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue.ToString(CultureInfo.InvariantCulture) : d.DimParam is { Length: > 0 } p ? p : "?").ToList() ?? [];
        bool isFloat = tensor?.ElemType == (int)TensorProto.Types.DataType.Float;
        if (!isFloat || dims.Count != 2 || dims[1] != width.ToString(CultureInfo.InvariantCulture))
        {
            string type = tensor is null ? "not a tensor" : $"{((TensorProto.Types.DataType)tensor.ElemType).ToString().ToLowerInvariant()} [{string.Join(", ", dims)}]";
            throw new ModelFormatException(name, $"{kind} '{node}' is {type}; an MlNetMnist model has float [N, {width}].");
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
