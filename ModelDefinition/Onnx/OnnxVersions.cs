namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>The ONNX IR version released with each opset (onnx/docs/Versioning.md).</summary>
internal static class OnnxVersions
{
    /// <summary>The IR version of the ONNX release that introduced <paramref name="opset"/>.</summary>
    public static long IrVersionFor(int opset) => opset switch
    {
        13 or 14 => 7,
        >= 15 and <= 18 => 8,
        19 or 20 => 9,
        21 or 22 => 10,
        23 => 11,
        _ => throw new ArgumentOutOfRangeException(nameof(opset), opset,
            $"Opset must be {OnnxExportOptions.MinimumOpset} to {OnnxExportOptions.MaximumOpset}."),
    };
}
