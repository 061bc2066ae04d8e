using MlNetMnist.ModelDefinition.Networks;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>Checks that an exported ONNX model reproduces its TorchSharp network on the same images.</summary>
public static class OnnxParityCheck
{
    /// <summary>The largest accepted difference between the two runtimes' probabilities.</summary>
    public const double DefaultTolerance = 1e-4;

    /// <summary>The most images run through either runtime at once.</summary>
    public const int ChunkSize = 1024;

    /// <summary>
    /// Runs <paramref name="onnxModel"/> in ONNX Runtime and <paramref name="network"/> in evaluation
    /// mode on <paramref name="normalizedImages"/> (N × C·H·W, normalized) and compares their outputs.
    /// The network's training mode is restored afterwards.
    /// </summary>
    /// <exception cref="OnnxParityException">The probabilities differ by more than <paramref name="tolerance"/>.</exception>
    /// <exception cref="ArgumentException">No images, a length that is not a multiple of the image size, a non-finite pixel, or a bad tolerance.</exception>
    public static OnnxParityResult Run(ClassifierNetwork network, byte[] onnxModel, float[] normalizedImages, double tolerance = DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Run(network, network.InputShape.PixelCount, network.ClassCount, onnxModel, normalizedImages, tolerance);
    }

    /// <summary>
    /// Runs <paramref name="onnxModel"/> (exported from <paramref name="ensemble"/>) in ONNX Runtime and
    /// the ensemble in evaluation mode (every member, probabilities averaged) on the same images, and
    /// compares their outputs, as <see cref="Run(ClassifierNetwork, byte[], float[], double)"/> does.
    /// </summary>
    /// <exception cref="OnnxParityException">The probabilities differ by more than <paramref name="tolerance"/>.</exception>
    /// <exception cref="ArgumentException">As for a single network.</exception>
    public static OnnxParityResult Run(ClassifierEnsemble ensemble, byte[] onnxModel, float[] normalizedImages, double tolerance = DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        return Run(ensemble, ensemble.InputShape.PixelCount, ensemble.ClassCount, onnxModel, normalizedImages, tolerance);
    }

    private static OnnxParityResult Run(nn.Module<Tensor, Tensor> module, int pixels, int classes, byte[] onnxModel, float[] normalizedImages, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(onnxModel);
        ArgumentNullException.ThrowIfNull(normalizedImages);
        if (normalizedImages.Length == 0 || normalizedImages.Length % pixels != 0)
            throw new ArgumentException($"Expected N × {pixels} values with N ≥ 1, got {normalizedImages.Length}.", nameof(normalizedImages));
        if (!Array.TrueForAll(normalizedImages, float.IsFinite))
            throw new ArgumentException("Every pixel must be a finite number.", nameof(normalizedImages));
        if (!(tolerance >= 0))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must be zero or positive.");

        var comparison = new ParityAccumulator(classes);
        using (var sessionOptions = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR })
        using (var session = new InferenceSession(onnxModel, sessionOptions))
        using (EvalModeScope.Enter(module))
        {
            var images = normalizedImages.Length / pixels;
            for (var start = 0; start < images; start += ChunkSize)
            {
                var chunk = normalizedImages.AsSpan(start * pixels, Math.Min(ChunkSize, images - start) * pixels).ToArray();
                var (onnxLogits, onnxProbabilities) = RunOnnx(session, chunk, pixels);
                var (torchLogits, torchProbabilities) = RunTorch(module, chunk, pixels);
                comparison.Add(onnxLogits, torchLogits, onnxProbabilities, torchProbabilities);
            }
        }
        var result = comparison.Result();
        if (!(result.MaxAbsDiff <= tolerance)) throw new OnnxParityException(result, tolerance);
        return result;
    }

    private static (float[] Logits, float[] Probabilities) RunOnnx(InferenceSession session, float[] chunk, int pixels)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(chunk, [chunk.Length / pixels, pixels]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [OnnxGraphWriter.InputName], [input],
            [OnnxGraphWriter.LogitsName, OnnxGraphWriter.ProbabilitiesName]);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray());
    }

    private static (float[] Logits, float[] Probabilities) RunTorch(nn.Module<Tensor, Tensor> network, float[] chunk, int pixels)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logits = network.forward(tensor(chunk, [chunk.Length / pixels, pixels]));
        var probabilities = logits.softmax(1);
        return (logits.data<float>().ToArray(), probabilities.data<float>().ToArray());
    }
}
