using MlNetMnist.ModelDefinition.Networks;
using static TorchSharp.torch;

namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>Checks, by one evaluation-mode forward pass, that a network maps <c>[1, C·H·W]</c> to <c>[1, classes]</c>.</summary>
internal static class OutputShapeProbe
{
    /// <summary>Throws <see cref="OnnxExportException"/> unless <paramref name="network"/> produces one logit per class per image.</summary>
    public static void Check(ClassifierNetwork network)
    {
        long[] shape;
        using (EvalModeScope.Enter(network))
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            try
            {
                shape = network.forward(zeros(1, network.InputShape.PixelCount)).shape;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.Runtime.InteropServices.ExternalException)
            {
                throw new OnnxExportException($"Network '{network.Architecture}' fails on a [1, {network.InputShape.PixelCount}] input: {e.Message}", e);
            }
        }
        if (shape.Length != 2 || shape[0] != 1 || shape[1] != network.ClassCount)
            throw new OnnxExportException(
                $"Network '{network.Architecture}' maps [1, {network.InputShape.PixelCount}] to [{string.Join(", ", shape)}], not [1, {network.ClassCount}] logits.");
    }
}
