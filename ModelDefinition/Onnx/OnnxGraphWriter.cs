using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Networks;
using Onnx;

namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>
/// Writes the graph of a network: <c>input [N, C·H·W]</c> → Reshape <c>[-1, C, H, W]</c> → the
/// layers → <c>logits [N, classes]</c> → Softmax → <c>probabilities [N, classes]</c>.
/// </summary>
internal static class OnnxGraphWriter
{
    /// <summary>The graph input: normalized images, one per row, channel by channel, row-major.</summary>
    public const string InputName = OnnxContract.Input;

    /// <summary>The graph output holding the last layer's scores.</summary>
    public const string LogitsName = OnnxContract.Logits;

    /// <summary>The graph output holding the softmax of the logits.</summary>
    public const string ProbabilitiesName = OnnxContract.Probabilities;

    /// <summary>The symbolic batch dimension.</summary>
    public const string BatchDimension = "N";

    /// <summary>Writes the graph of <paramref name="network"/>, named after its architecture.</summary>
    public static GraphProto Write(ClassifierNetwork network)
    {
        var graph = new OnnxGraphBuilder(network.Architecture);
        graph.ReserveValueName(LogitsName);
        graph.ReserveValueName(ProbabilitiesName);
        var image = network.InputShape;
        long classes = network.ClassCount;
        var input = graph.AddInput(OnnxProtos.FloatValueInfo(InputName, BatchDimension, (long)image.PixelCount));
        var shape = graph.AddInitializer("images.shape", [4], [-1L, image.Channels, image.Height, image.Width]);
        var images = graph.AddNode("Reshape", "images", [input, shape], []);
        var last = new OnnxLayerEmitter(graph, images, rank: 4).Emit(NetworkLayers.Flatten(network.Layers));
        graph.RenameOutput(last, LogitsName);
        graph.AddNode("Softmax", "softmax", [LogitsName], [OnnxProtos.Int("axis", 1)], output: ProbabilitiesName);
        graph.AddOutput(OnnxProtos.FloatValueInfo(LogitsName, BatchDimension, classes));
        graph.AddOutput(OnnxProtos.FloatValueInfo(ProbabilitiesName, BatchDimension, classes));
        return graph.Graph;
    }
}
