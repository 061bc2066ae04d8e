using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetMnist.Tests.ModelDefinition;

/// <summary>
/// An oracle for exported models that shares no code with <c>OnnxParityCheck</c>: ONNX Runtime runs
/// the exported bytes here (through its NamedOnnxValue API, not the check's OrtValue one), and the
/// reference is a copy of the network, with the same weights and statistics, computed in float64
/// in NCHW layout, in evaluation mode.
/// </summary>
internal static class OnnxOracle
{
    private static readonly int Pixels = MnistCatalog.Shape.PixelCount;

    /// <summary>The largest differences between ONNX Runtime and the float64 reference.</summary>
    public sealed record Difference(double Probabilities, double Logits, double ArgmaxAgreement)
    {
        public override string ToString() => $"max |Δp| {Probabilities:E2}, max |Δlogit| {Logits:E2}, same class {ArgmaxAgreement:P2}";
    }

    /// <summary>
    /// Compares <paramref name="onnxModel"/> in ONNX Runtime with <paramref name="network"/> computed
    /// in float64 by a copy made with <paramref name="create"/> (the network itself is left as it is).
    /// </summary>
    public static Difference Compare(byte[] onnxModel, ClassifierNetwork network, Func<ClassifierNetwork> create, float[] normalizedImages)
    {
        var (onnxLogits, onnxProbabilities) = RunOnnxRuntime(onnxModel, normalizedImages);
        var (logits, probabilities) = Float64Reference(network, create, normalizedImages);
        Assert.Equal(logits.Length, onnxLogits.Length);
        int images = normalizedImages.Length / Pixels, same = 0;
        for (int i = 0; i < images; i++)
            if (ArgMax(onnxProbabilities, i * 10) == ArgMax(probabilities, i * 10)) same++;
        return new Difference(MaxAbsDifference(onnxProbabilities, probabilities), MaxAbsDifference(onnxLogits, logits), (double)same / images);
    }

    /// <summary>Asserts that ONNX Runtime reproduces the float64 reference: probabilities within 1e-4, logits within <paramref name="logitTolerance"/>.</summary>
    public static Difference AssertMatches(byte[] onnxModel, ClassifierNetwork network, Func<ClassifierNetwork> create, float[] normalizedImages, double logitTolerance = 1e-3)
    {
        var difference = Compare(onnxModel, network, create, normalizedImages);
        Assert.True(difference.Probabilities <= 1e-4 && difference.Logits <= logitTolerance,
            $"ONNX Runtime vs float64 TorchSharp: {difference} (tolerances 1e-4, {logitTolerance:E0})");
        return difference;
    }

    private static (float[] Logits, float[] Probabilities) RunOnnxRuntime(byte[] onnxModel, float[] images)
    {
        using var session = new InferenceSession(onnxModel);
        var input = new DenseTensor<float>(images.ToArray(), [images.Length / Pixels, Pixels]);
        using var outputs = session.Run([NamedOnnxValue.CreateFromTensor(OnnxContract.Input, input)]);
        float[] Output(string name) => outputs.Single(o => o.Name == name).AsTensor<float>().ToArray();
        return (Output(OnnxContract.Logits), Output(OnnxContract.Probabilities));
    }

    private static (double[] Logits, double[] Probabilities) Float64Reference(ClassifierNetwork network, Func<ClassifierNetwork> create, float[] images)
    {
        using var copy = create();
        copy.load_state_dict(network.state_dict());
        copy.to(ScalarType.Float64);
        copy.ChannelsLast = false;
        copy.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var logits = copy.forward(tensor(images, [images.Length / Pixels, Pixels]).to(ScalarType.Float64));
        var probabilities = logits.softmax(1);
        return (logits.data<double>().ToArray(), probabilities.data<double>().ToArray());
    }

    private static double MaxAbsDifference(float[] actual, double[] expected)
    {
        double max = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double difference = Math.Abs(actual[i] - expected[i]);
            if (double.IsNaN(difference)) return double.PositiveInfinity;
            max = Math.Max(max, difference);
        }
        return max;
    }

    /// <summary>The class with the highest of the 10 values from <paramref name="offset"/>.</summary>
    private static int ArgMax<T>(T[] values, int offset) where T : IComparable<T>
    {
        int best = 0;
        for (int i = 1; i < 10; i++)
            if (values[offset + i].CompareTo(values[offset + best]) > 0) best = i;
        return best;
    }
}
