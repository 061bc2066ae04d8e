using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Networks;
using Onnx;

namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>
/// Writes the graph of a network: <c>input [N, C·H·W]</c> → Reshape <c>[-1, C, H, W]</c> → the
/// layers → <c>logits [N, classes]</c> → Softmax → <c>probabilities [N, classes]</c>; or of an
/// ensemble of networks, with the same input and outputs.
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
        var (graph, images) = Start(network.Architecture, network.InputShape);
        var last = EmitLayers(graph, images, network, prefix: null);
        graph.RenameOutput(last, LogitsName);
        graph.AddNode("Softmax", "softmax", [LogitsName], [OnnxProtos.Int("axis", 1)], output: ProbabilitiesName);
        return Finish(graph, network.ClassCount);
    }

    /// <summary>
    /// Writes the graph of <paramref name="ensemble"/>: the one input reshaped once, every member's
    /// layers (nodes and weights named <c>member{i}.…</c>), each member's softmax, their
    /// <c>Mean</c> as <c>probabilities</c> and its <c>Log</c> as <c>logits</c>: the same input and
    /// outputs as a single network's graph. A calibrated ensemble (temperature T ≠ 1) divides the
    /// <c>Log</c> by T as <c>logits</c>, and their <c>Softmax</c> is <c>probabilities</c>.
    /// </summary>
    public static GraphProto Write(ClassifierEnsemble ensemble)
    {
        var (graph, images) = Start(ensemble.Architecture, ensemble.InputShape);
        var probabilities = new List<string>();
        for (int i = 0; i < ensemble.Members.Count; i++)
        {
            var logits = EmitLayers(graph, images, ensemble.Members[i], prefix: $"member{i}.");
            probabilities.Add(graph.AddNode("Softmax", $"member{i}.softmax", [logits], [OnnxProtos.Int("axis", 1)]));
        }
        if (ensemble.Temperature == 1)
        {
            graph.AddNode("Mean", "mean", probabilities, [], output: ProbabilitiesName);
            graph.AddNode("Log", "log", [ProbabilitiesName], [], output: LogitsName);
            return Finish(graph, ensemble.ClassCount);
        }
        var mean = graph.AddNode("Mean", "mean", probabilities, []);
        var log = graph.AddNode("Log", "log", [mean], []);
        var temperature = graph.AddInitializer("temperature", [], [(float)ensemble.Temperature]);
        graph.AddNode("Div", "calibrate", [log, temperature], [], output: LogitsName);
        graph.AddNode("Softmax", "softmax", [LogitsName], [OnnxProtos.Int("axis", 1)], output: ProbabilitiesName);
        return Finish(graph, ensemble.ClassCount);
    }

    /// <summary>A graph with the input and its Reshape to <c>[-1, C, H, W]</c>; the names of the outputs reserved.</summary>
    private static (OnnxGraphBuilder Graph, string Images) Start(string name, ImageShape image)
    {
        var graph = new OnnxGraphBuilder(name);
        graph.ReserveValueName(LogitsName);
        graph.ReserveValueName(ProbabilitiesName);
        var input = graph.AddInput(OnnxProtos.FloatValueInfo(InputName, BatchDimension, (long)image.PixelCount));
        var shape = graph.AddInitializer("images.shape", [4], [-1L, image.Channels, image.Height, image.Width]);
        return (graph, graph.AddNode("Reshape", "images", [input, shape], []));
    }

    private static string EmitLayers(OnnxGraphBuilder graph, string images, ClassifierNetwork network, string? prefix)
    {
        var layers = NetworkLayers.Flatten(network.Layers);
        if (prefix is not null) layers = layers.Select(l => (prefix + l.Name, l.Layer)).ToList();
        return new OnnxLayerEmitter(graph, images, rank: 4).Emit(layers);
    }

    private static GraphProto Finish(OnnxGraphBuilder graph, long classes)
    {
        graph.AddOutput(OnnxProtos.FloatValueInfo(LogitsName, BatchDimension, classes));
        graph.AddOutput(OnnxProtos.FloatValueInfo(ProbabilitiesName, BatchDimension, classes));
        return graph.Graph;
    }
}
