using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetMnist.Data;
using MlNetMnist.Pipelines;
using MlNetMnist.Pipelines.Batching;
using MlNetMnist.Pipelines.Evaluation;

namespace MlNetMnist.Cli.Benchmarks;

/// <summary>
/// Scoring speed of the ML.NET paths against raw ONNX Runtime on the same model and threads:
/// the evaluation pass (blocks of 256 images through ML.NET's OnnxTransformer) and the
/// one-image-per-row <c>Transform</c> of model.zip vs ONNX Runtime on batches of 256, and one
/// <c>PredictionEngine.Predict</c> vs one ONNX Runtime run of one image, through both of ONNX
/// Runtime's .NET APIs (<c>OrtValue</c>, the fastest, and <c>NamedOnnxValue</c>, the one ML.NET's
/// OnnxTransformer calls). Rounds alternate; <c>mnist bench</c> runs this in a child process that
/// never loads libtorch (<c>mnist bench-scoring</c>), so no training threads share the cores.
/// </summary>
public static class ScoringBenchmark
{
    private const int SingleWarmupCalls = 300;
    /// <summary>Medians over <paramref name="rounds"/> rounds, keyed by their <c>mnist bench --json</c> names.</summary>
    public static Dictionary<string, double> Measure(string onnxPath, ImageSplit test, int images, int singles, int rounds, int threads)
    {
        var split = test.Slice(0, Math.Min(images, test.Count));
        using var model = MnistModel.FromOnnx(onnxPath, threads);
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(onnxPath, options);
        using var runOptions = new RunOptions(); // one for every run, as ONNX Runtime's own samples do
        var normalized = model.Metadata.Normalization.Normalize(split, 0, split.Count);
        int size = split.Shape.PixelCount;
        using var engine = model.CreatePredictionEngine();
        var input = DigitInput.FromBytes(split.Image(0));
        var prediction = new DigitPrediction(); // Predict(input, ref output) reuses it: no allocation per call
        using var blocks = new BatchedScorer(model, 256, threads);
        var samples = new Dictionary<string, List<double>>();
        void Add(string name, double value) => (samples.TryGetValue(name, out var list) ? list : samples[name] = []).Add(value);
        var calls = new (string Name, Action Call)[]
        {
            ("engineMicroseconds", () => engine.Predict(input, ref prediction)),
            ("ortSingleMicroseconds", () => RunOrt(session, runOptions, normalized.AsMemory(0, size), size)),
            ("ortSingleNamedValueMicroseconds", () => RunOrtNamed(session, normalized.AsMemory(0, size), size)),
        };
        for (int round = 0; round < rounds + 1; round++)
        {
            var clock = Stopwatch.StartNew();
            blocks.ScoreAll(split);
            double t = split.Count / clock.Elapsed.TotalSeconds;
            clock.Restart();
            MnistEvaluator.ScoreAll(model, new ImageSplitDataView(split), split.Count, null, CancellationToken.None);
            double r = split.Count / clock.Elapsed.TotalSeconds;
            clock.Restart();
            for (int start = 0; start < split.Count; start += 256)
                RunOrt(session, runOptions, normalized.AsMemory(start * size, Math.Min(256, split.Count - start) * size), size);
            double b = split.Count / clock.Elapsed.TotalSeconds;
            // Single images: one block of calls per side and round, the sides alternating round by
            // round. Blocks, not short slices: after a switch, the ONNX Runtime session used before
            // keeps its worker threads spinning on the same two cores for a while, which made
            // short interleaved slices measure each other's spinning (±50%). The first calls of a
            // block are not timed.
            var clocks = calls.Select(_ => new Stopwatch()).ToArray();
            for (int c = 0; c < calls.Length; c++)
            {
                for (int i = 0; i < SingleWarmupCalls; i++) calls[c].Call();
                clocks[c].Start();
                for (int i = 0; i < singles; i++) calls[c].Call();
                clocks[c].Stop();
            }
            if (round == 0) continue; // warm-up
            Add("transformImagesPerSecond", t);
            Add("rowTransformImagesPerSecond", r);
            Add("ortBatchedImagesPerSecond", b);
            for (int c = 0; c < calls.Length; c++) Add(calls[c].Name, clocks[c].Elapsed.TotalMicroseconds / singles);
        }
        var figures = samples.ToDictionary(kv => kv.Key, kv => Statistics.Median(kv.Value));
        figures["transformRatio"] = figures["transformImagesPerSecond"] / figures["ortBatchedImagesPerSecond"];
        figures["engineRatio"] = figures["engineMicroseconds"] / figures["ortSingleMicroseconds"];
        figures["engineNamedValueRatio"] = figures["engineMicroseconds"] / figures["ortSingleNamedValueMicroseconds"];
        return figures;
    }

    /// <summary>Scoring figures measured by <c>mnist bench-scoring</c> in a child process.</summary>
    public static Dictionary<string, double> MeasureInChild(string onnxPath, string dataDirectory, int images, int singles, int rounds, int threads, CancellationToken cancellationToken)
    {
        string output = ChildProcess.RunSelf(
            ["bench-scoring", onnxPath, "--images", images.ToString(), "--singles", singles.ToString(), "--rounds", rounds.ToString(),
             "--threads", threads.ToString(), "--data-dir", dataDirectory, "--no-download", "--quiet"],
            cancellationToken);
        return JsonSerializer.Deserialize<Dictionary<string, double>>(ChildProcess.LastJsonLine(output))!;
    }

    /// <summary>One ONNX Runtime run of normalized <paramref name="images"/> (<paramref name="pixelCount"/> values each) through <c>OrtValue</c>s.</summary>
    internal static void RunOrt(InferenceSession session, RunOptions runOptions, Memory<float> images, int pixelCount)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, images, [images.Length / pixelCount, pixelCount]);
        using var outputs = session.Run(runOptions, [OnnxContract.Input], [value], [OnnxContract.Probabilities]);
    }

    private static readonly string[] ProbabilitiesOnly = [OnnxContract.Probabilities];

    private static void RunOrtNamed(InferenceSession session, Memory<float> images, int pixelCount)
    {
        var tensor = new DenseTensor<float>(images, [images.Length / pixelCount, pixelCount]);
        using var outputs = session.Run([NamedOnnxValue.CreateFromTensor(OnnxContract.Input, tensor)], ProbabilitiesOnly);
    }
}
