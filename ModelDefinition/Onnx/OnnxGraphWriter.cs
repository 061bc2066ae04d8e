using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Networks;
using Onnx;

namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>
/// Writes the graph of a network: <c>input [N, 784]</c> → Reshape <c>[-1, 1, 28, 28]</c> → the
/// layers → <c>logits [N, 10]</c> → Softmax → <c>probabilities [N, 10]</c>.
/// </summary>
internal static class OnnxGraphWriter
{
    /// <summary>The graph input: normalized images, one row-major 28×28 image per row.</summary>
    public const string InputName = MnistOnnxContract.Input;

    /// <summary>The graph output holding the last layer's scores.</summary>
    public const string LogitsName = MnistOnnxContract.Logits;

    /// <summary>The graph output holding the softmax of the logits.</summary>
    public const string ProbabilitiesName = MnistOnnxContract.Probabilities;

    /// <summary>The symbolic batch dimension.</summary>
    public const string BatchDimension = "N";

    /// <summary>Pixels per image.</summary>
    public const long Pixels = 28 * 28;

    /// <summary>Output classes.</summary>
    public const long Classes = 10;

    /// <summary>Writes the graph of <paramref name="network"/>, named after its architecture.</summary>
    public static GraphProto Write(MnistNetwork network)
    {
        var graph = new OnnxGraphBuilder(network.Architecture);
        graph.ReserveValueName(LogitsName);
        graph.ReserveValueName(ProbabilitiesName);
        var input = graph.AddInput(OnnxProtos.FloatValueInfo(InputName, BatchDimension, Pixels));
        var shape = graph.AddInitializer("images.shape", [4], [-1L, 1, 28, 28]);
        var images = graph.AddNode("Reshape", "images", [input, shape], []);
        var last = new OnnxLayerEmitter(graph, images, rank: 4).Emit(NetworkLayers.Flatten(network.Layers));
        graph.RenameOutput(last, LogitsName);
        graph.AddNode("Softmax", "softmax", [LogitsName], [OnnxProtos.Int("axis", 1)], output: ProbabilitiesName);
        graph.AddOutput(OnnxProtos.FloatValueInfo(LogitsName, BatchDimension, Classes));
        graph.AddOutput(OnnxProtos.FloatValueInfo(ProbabilitiesName, BatchDimension, Classes));
        return graph.Graph;
    }
}
