namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>A network cannot be written as ONNX, for example because it holds a layer type the exporter does not know.</summary>
public sealed class OnnxExportException : Exception
{
    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public OnnxExportException(string message) : base(message) { }

    /// <summary>Creates the exception with <paramref name="message"/> and the <paramref name="innerException"/> that caused it.</summary>
    public OnnxExportException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for the layer <paramref name="layerName"/> of type <paramref name="layerType"/>.</summary>
    public OnnxExportException(string message, string layerName, Type layerType) : base(message)
    {
        LayerName = layerName;
        LayerType = layerType;
    }

    /// <summary>The name of the layer that could not be exported, if one layer is at fault.</summary>
    public string? LayerName { get; }

    /// <summary>The .NET type of the layer that could not be exported, if one layer is at fault.</summary>
    public Type? LayerType { get; }
}
