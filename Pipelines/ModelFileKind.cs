namespace MlNetMnist.Pipelines;

/// <summary>What a model file holds, judged by its content (<see cref="ModelFile.Detect"/>).</summary>
public enum ModelFileKind
{
    /// <summary>A zip archive: an ML.NET <c>model.zip</c>.</summary>
    ModelZip,

    /// <summary>Anything else, read as an ONNX model (a protobuf <c>ModelProto</c>, which has no signature of its own).</summary>
    Onnx,
}
