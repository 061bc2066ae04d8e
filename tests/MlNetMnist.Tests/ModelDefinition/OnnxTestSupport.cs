using Microsoft.ML.OnnxRuntime;
using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Networks;
using MlNetMnist.ModelDefinition.Onnx;
using MlNetMnist.Tests.Support;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetMnist.Tests.ModelDefinition;

/// <summary>Networks with non-trivial weights and statistics, and images, for the ONNX export tests.</summary>
internal static class OnnxTestSupport
{
    /// <summary>
    /// Gives every BatchNorm2d of <paramref name="network"/> random affine parameters and running
    /// statistics (the defaults, γ = 1, β = 0, mean 0, var 1, would hide folding mistakes).
    /// </summary>
    public static ClassifierNetwork RandomizeBatchNorms(ClassifierNetwork network)
    {
        using var noGrad = no_grad();
        foreach (var bn in network.modules().OfType<BatchNorm2d>())
        {
            if (bn.affine)
            {
                bn.weight.uniform_(0.5, 1.5);
                bn.bias!.uniform_(-0.5, 0.5);
            }
            bn.running_mean?.normal_(0, 0.5);
            bn.running_var?.uniform_(0.3, 2.0);
        }
        return network;
    }

    /// <summary><paramref name="count"/> standard-normal images, N × 784.</summary>
    public static float[] RandomImages(int count, int seed)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed);
        return randn([count, 784], generator: generator).data<float>().ToArray();
    }

    /// <summary>The first <paramref name="count"/> real MNIST test images, normalized as the exported model expects.</summary>
    public static float[] RealImages(int count)
    {
        var pixels = RealMnist.DataSet.Test.Slice(0, count).Pixels;
        return pixels.Select(p => (float)((p / 255.0 - MnistCatalog.Normalization.Mean[0]) / MnistCatalog.Normalization.Std[0])).ToArray();
    }

    /// <summary>Exports <paramref name="network"/> with default options.</summary>
    public static byte[] Export(ClassifierNetwork network) => OnnxExporter.ToBytes(network, new OnnxExportOptions());

    /// <summary>The op types of the exported model's nodes, in order.</summary>
    public static string[] OpTypes(byte[] model)
        => global::Onnx.ModelProto.Parser.ParseFrom(model).Graph.Node.Select(n => n.OpType).ToArray();

    /// <summary>The training flag of the network and each of its modules.</summary>
    public static bool[] TrainingFlags(ClassifierNetwork network)
        => [network.training, .. network.modules().Select(m => m.training)];

    /// <summary>The <c>probabilities</c> output of <paramref name="model"/> through ONNX Runtime for normalized MNIST <paramref name="images"/>.</summary>
    public static float[] Probabilities(byte[] model, float[] images)
    {
        using var session = new InferenceSession(model);
        using var input = OrtValue.CreateTensorValueFromMemory(images, [images.Length / 784, 784]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [OnnxContract.Input], [input], [OnnxContract.Probabilities]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>The metadata of <paramref name="model"/> as ONNX Runtime reads it.</summary>
    public static Dictionary<string, string> Metadata(byte[] model)
    {
        using var session = new InferenceSession(model);
        return session.ModelMetadata.CustomMetadataMap;
    }
}
