using MlNetMnist.ModelDefinition.Networks;
using static TorchSharp.torch;

namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>Checks, by one evaluation-mode forward pass, that a network maps <c>[1, 784]</c> to <c>[1, 10]</c>.</summary>
internal static class OutputShapeProbe
{
    /// <summary>Throws <see cref="OnnxExportException"/> unless <paramref name="network"/> produces 10 logits per image.</summary>
    public static void Check(MnistNetwork network)
    {
        long[] shape;
        using (EvalModeScope.Enter(network))
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            try
            {
                shape = network.forward(zeros(1, OnnxGraphWriter.Pixels)).shape;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.Runtime.InteropServices.ExternalException)
            {
                throw new OnnxExportException($"Network '{network.Architecture}' fails on a [1, 784] input: {e.Message}", e);
            }
        }
        if (shape is not [1, OnnxGraphWriter.Classes])
            throw new OnnxExportException(
                $"Network '{network.Architecture}' maps [1, 784] to [{string.Join(", ", shape)}], not [1, {OnnxGraphWriter.Classes}] logits.");
    }
}
