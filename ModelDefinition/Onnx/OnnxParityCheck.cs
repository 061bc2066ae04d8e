using MlNetMnist.ModelDefinition.Networks;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace MlNetMnist.ModelDefinition.Onnx;

/// <summary>Checks that an exported ONNX model reproduces its TorchSharp network on the same images.</summary>
public static class OnnxParityCheck
{
    /// <summary>The largest accepted difference between the two runtimes' probabilities.</summary>
    public const double DefaultTolerance = 1e-4;

    /// <summary>The most images run through either runtime at once.</summary>
    public const int ChunkSize = 1024;

    private const int Pixels = (int)OnnxGraphWriter.Pixels;

    /// <summary>
    /// Runs <paramref name="onnxModel"/> in ONNX Runtime and <paramref name="network"/> in evaluation
    /// mode on <paramref name="normalizedImages"/> (N × 784, normalized) and compares their outputs.
    /// The network's training mode is restored afterwards.
    /// </summary>
    /// <exception cref="OnnxParityException">The probabilities differ by more than <paramref name="tolerance"/>.</exception>
    /// <exception cref="ArgumentException">No images, a length that is not a multiple of 784, a non-finite pixel, or a bad tolerance.</exception>
    public static OnnxParityResult Run(MnistNetwork network, byte[] onnxModel, float[] normalizedImages, double tolerance = DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(onnxModel);
        ArgumentNullException.ThrowIfNull(normalizedImages);
        if (normalizedImages.Length == 0 || normalizedImages.Length % Pixels != 0)
            throw new ArgumentException($"Expected N × {Pixels} pixels with N ≥ 1, got {normalizedImages.Length}.", nameof(normalizedImages));
        if (!Array.TrueForAll(normalizedImages, float.IsFinite))
            throw new ArgumentException("Every pixel must be a finite number.", nameof(normalizedImages));
        if (!(tolerance >= 0))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must be zero or positive.");

        var comparison = new ParityAccumulator();
        using (var sessionOptions = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR })
        using (var session = new InferenceSession(onnxModel, sessionOptions))
        using (EvalModeScope.Enter(network))
        {
            var images = normalizedImages.Length / Pixels;
            for (var start = 0; start < images; start += ChunkSize)
            {
                var chunk = normalizedImages.AsSpan(start * Pixels, Math.Min(ChunkSize, images - start) * Pixels).ToArray();
                var (onnxLogits, onnxProbabilities) = RunOnnx(session, chunk);
                var (torchLogits, torchProbabilities) = RunTorch(network, chunk);
                comparison.Add(onnxLogits, torchLogits, onnxProbabilities, torchProbabilities);
            }
        }
        var result = comparison.Result();
        if (!(result.MaxAbsDiff <= tolerance)) throw new OnnxParityException(result, tolerance);
        return result;
    }

    private static (float[] Logits, float[] Probabilities) RunOnnx(InferenceSession session, float[] chunk)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(chunk, [chunk.Length / Pixels, Pixels]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [OnnxGraphWriter.InputName], [input],
            [OnnxGraphWriter.LogitsName, OnnxGraphWriter.ProbabilitiesName]);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray());
    }

    private static (float[] Logits, float[] Probabilities) RunTorch(MnistNetwork network, float[] chunk)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logits = network.forward(tensor(chunk, [chunk.Length / Pixels, Pixels]));
        var probabilities = logits.softmax(1);
        return (logits.data<float>().ToArray(), probabilities.data<float>().ToArray());
    }
}
