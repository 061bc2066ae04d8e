using TorchSharp;
using TorchSharp.Modules;

namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>Writes a network's layers as ONNX nodes, tracking the rank of the value flowing through them.</summary>
internal sealed class OnnxLayerEmitter(OnnxGraphBuilder graph, string input, int rank)
{
    /// <summary>The layer types the exporter knows, for error messages.</summary>
    public const string SupportedTypes =
        "Conv2d, BatchNorm2d, ReLU, MaxPool2d, AvgPool2d, Flatten, Linear, Dropout/Dropout1d/Dropout2d/Dropout3d/AlphaDropout/FeatureAlphaDropout (removed), and nested Sequential blocks of these";

    private static readonly long[] Ones = [1, 1];
    private static readonly long[] Zeros = [0, 0];

    private string current = input;

    /// <summary>Emits <paramref name="layers"/> in order and returns the name of the last value.</summary>
    public string Emit(IReadOnlyList<(string Name, torch.nn.Module Layer)> layers)
    {
        for (var i = 0; i < layers.Count; i++)
        {
            var (name, layer) = layers[i];
            switch (layer)
            {
                case Conv2d conv when i + 1 < layers.Count && layers[i + 1].Layer is BatchNorm2d bn:
                    EmitConvolution(name, conv, (layers[i + 1].Name, bn));
                    i++;
                    break;
                case Conv2d conv: EmitConvolution(name, conv, null); break;
                case BatchNorm2d bn: EmitBatchNorm(name, bn); break;
                case ReLU: current = graph.AddNode("Relu", name, [current], []); break;
                case MaxPool2d pool: EmitMaxPool(name, pool); break;
                case AvgPool2d pool: EmitAveragePool(name, pool); break;
                case Flatten flatten: EmitFlatten(name, flatten); break;
                case Linear linear: EmitLinear(name, linear); break;
                case Dropout or Dropout1d or Dropout2d or Dropout3d or AlphaDropout or FeatureAlphaDropout: break;
                default:
                    throw new OnnxExportException(
                        $"Layer '{name}' of type {layer.GetType().FullName} cannot be exported to ONNX. Supported layer types: {SupportedTypes}.",
                        name, layer.GetType());
            }
        }
        return current;
    }

    private void EmitConvolution(string name, Conv2d conv, (string Name, BatchNorm2d Layer)? bn)
    {
        RequireRank(name, conv, 4);
        if (conv.padding_mode != PaddingModes.Zeros)
            throw Unsupported(name, conv, $"padding mode {conv.padding_mode} (only zero padding is supported)");
        var kernel = SpatialAttributes.Pair(conv.kernel_size, Ones);
        var dilation = SpatialAttributes.Pair(conv.dilation, Ones);
        var (weight, bias) = bn is { } norm
            ? BatchNormFolding.Fold(name, conv, norm.Name, norm.Layer)
            : (TensorValues.Floats(conv.weight), conv.bias is null ? null : TensorValues.Floats(conv.bias));
        List<string> inputs = [current, graph.AddInitializer($"{name}.weight", conv.weight.shape, weight)];
        if (bias is not null) inputs.Add(graph.AddInitializer($"{name}.bias", [bias.Length], bias));
        current = graph.AddNode("Conv", name, inputs,
        [
            OnnxProtos.Ints("kernel_shape", kernel),
            OnnxProtos.Ints("strides", SpatialAttributes.Pair(conv.stride, Ones)),
            OnnxProtos.Ints("pads", SpatialAttributes.ConvolutionPads(conv, kernel, dilation)),
            OnnxProtos.Ints("dilations", dilation),
            OnnxProtos.Int("group", conv.groups),
        ], docString: bn is { } folded ? $"{name} with {folded.Name} folded in" : null);
    }

    private void EmitBatchNorm(string name, BatchNorm2d bn)
    {
        RequireRank(name, bn, 4);
        var stats = BatchNormStatistics.Read(name, bn);
        long[] dims = [stats.Channels];
        static float[] Floats(double[] values) => values.Select(v => (float)v).ToArray();
        current = graph.AddNode("BatchNormalization", name,
        [
            current,
            graph.AddInitializer($"{name}.weight", dims, Floats(stats.Scale)),
            graph.AddInitializer($"{name}.bias", dims, Floats(stats.Shift)),
            graph.AddInitializer($"{name}.running_mean", dims, Floats(stats.Mean)),
            graph.AddInitializer($"{name}.running_var", dims, Floats(stats.Variance)),
        ], [OnnxProtos.Float("epsilon", (float)stats.Epsilon)]);
    }

    private void EmitMaxPool(string name, MaxPool2d pool)
    {
        RequireRank(name, pool, 4);
        var kernel = SpatialAttributes.Pair(pool.kernel_size, Ones);
        current = graph.AddNode("MaxPool", name, [current],
        [
            OnnxProtos.Ints("kernel_shape", kernel),
            OnnxProtos.Ints("strides", SpatialAttributes.Pair(pool.stride, kernel)),
            OnnxProtos.Ints("pads", SpatialAttributes.SymmetricPads(SpatialAttributes.Pair(pool.padding, Zeros))),
            OnnxProtos.Ints("dilations", SpatialAttributes.Pair(pool.dilation, Ones)),
            OnnxProtos.Int("ceil_mode", pool.ceil_mode ? 1 : 0),
        ]);
    }

    private void EmitAveragePool(string name, AvgPool2d pool)
    {
        RequireRank(name, pool, 4);
        if (pool.divisor_override is not null)
            throw Unsupported(name, pool, "a divisor override");
        var kernel = SpatialAttributes.Pair(pool.kernel_size, Ones);
        current = graph.AddNode("AveragePool", name, [current],
        [
            OnnxProtos.Ints("kernel_shape", kernel),
            OnnxProtos.Ints("strides", SpatialAttributes.Pair(pool.stride, kernel)),
            OnnxProtos.Ints("pads", SpatialAttributes.SymmetricPads(SpatialAttributes.Pair(pool.padding, Zeros))),
            OnnxProtos.Int("ceil_mode", pool.ceil_mode ? 1 : 0),
            OnnxProtos.Int("count_include_pad", pool.count_include_pad ? 1 : 0),
        ]);
    }

    private void EmitFlatten(string name, Flatten flatten)
    {
        if (flatten.start_dim != 1)
            throw Unsupported(name, flatten, $"start_dim {flatten.start_dim} (only start_dim 1, keeping the batch dimension, is supported)");
        if (flatten.end_dim != -1 && flatten.end_dim != rank - 1)
            throw Unsupported(name, flatten, $"end_dim {flatten.end_dim} (only flattening to the last dimension is supported)");
        current = graph.AddNode("Flatten", name, [current], [OnnxProtos.Int("axis", 1)]);
        rank = 2;
    }

    private void EmitLinear(string name, Linear linear)
    {
        RequireRank(name, linear, 2);
        List<string> inputs = [current, graph.AddInitializer($"{name}.weight", linear.weight.shape, TensorValues.Floats(linear.weight))];
        if (linear.bias is not null)
            inputs.Add(graph.AddInitializer($"{name}.bias", linear.bias.shape, TensorValues.Floats(linear.bias)));
        current = graph.AddNode("Gemm", name, inputs, [OnnxProtos.Int("transB", 1)]);
    }

    private void RequireRank(string name, torch.nn.Module layer, int required)
    {
        if (rank != required)
            throw Unsupported(name, layer, $"a rank-{rank} input here (it needs rank {required}{(required == 2 ? "; add a Flatten before it" : "")})");
    }

    private static OnnxExportException Unsupported(string name, torch.nn.Module layer, string what)
        => new($"Layer '{name}' of type {layer.GetType().FullName} cannot be exported to ONNX: {what}.", name, layer.GetType());
}
