using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using MlNetMnist.Data;
using MlNetMnist.Pipelines;
using MlNetMnist.Pipelines.Batching;
using MlNetMnist.Pipelines.Evaluation;

namespace MlNetMnist.Cli.Benchmarks;

/// <summary>
/// Scoring speed of the ML.NET paths against raw ONNX Runtime on the same model and threads:
/// the evaluation pass (blocks of 256 images through ML.NET's OnnxTransformer) and the
/// one-image-per-row <c>Transform</c> of model.zip vs ONNX Runtime on batches of 256, and one
/// <c>PredictionEngine.Predict</c> vs one ONNX Runtime run of one image. Rounds alternate.
/// </summary>
public static class ScoringBenchmark
{
    /// <summary>The four figures, medians over <paramref name="rounds"/> rounds.</summary>
    public static (double TransformImagesPerSecond, double RowTransformImagesPerSecond, double OrtBatchedImagesPerSecond, double EngineMicroseconds, double OrtSingleMicroseconds)
        Measure(string onnxPath, MnistSplit test, int images, int singles, int rounds, int threads)
    {
        var split = test.Slice(0, Math.Min(images, test.Count));
        var model = MnistModel.FromOnnx(onnxPath, threads);
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(onnxPath, options);
        using var runOptions = new RunOptions(); // one for every run, as ONNX Runtime's own samples do
        var normalized = MnistNormalization.Normalize(split, 0, split.Count);
        using var engine = model.CreatePredictionEngine();
        var input = DigitInput.FromBytes(split.Images.Image(0));
        var prediction = new DigitPrediction(); // Predict(input, ref output) reuses it: no allocation per call
        using var blocks = new BatchedScorer(model, 256, threads);
        var transform = new List<double>();
        var rowTransform = new List<double>();
        var batched = new List<double>();
        var engineTimes = new List<double>();
        var single = new List<double>();
        for (int round = 0; round < rounds + 1; round++)
        {
            var clock = Stopwatch.StartNew();
            blocks.ScoreAll(split);
            double t = split.Count / clock.Elapsed.TotalSeconds;
            clock.Restart();
            MnistEvaluator.ScoreAll(model, new MnistDataView(split), split.Count, null, CancellationToken.None);
            double r = split.Count / clock.Elapsed.TotalSeconds;
            clock.Restart();
            for (int start = 0; start < split.Count; start += 256)
                RunOrt(session, runOptions, normalized.AsMemory(start * 784, Math.Min(256, split.Count - start) * 784));
            double b = split.Count / clock.Elapsed.TotalSeconds;
            // Single images: short slices, alternating, so a slow moment of the machine hits both sides.
            var engineClock = new Stopwatch();
            var ortClock = new Stopwatch();
            for (int done = 0; done < singles; done += 50)
            {
                engineClock.Start();
                for (int i = 0; i < 50; i++) engine.Predict(input, ref prediction);
                engineClock.Stop();
                ortClock.Start();
                for (int i = 0; i < 50; i++) RunOrt(session, runOptions, normalized.AsMemory(0, 784));
                ortClock.Stop();
            }
            int measured = (singles + 49) / 50 * 50;
            double e = engineClock.Elapsed.TotalMicroseconds / measured;
            double s = ortClock.Elapsed.TotalMicroseconds / measured;
            if (round == 0) continue; // warm-up
            transform.Add(t); rowTransform.Add(r); batched.Add(b); engineTimes.Add(e); single.Add(s);
        }
        return (TrainingBenchmark.Median(transform), TrainingBenchmark.Median(rowTransform), TrainingBenchmark.Median(batched), TrainingBenchmark.Median(engineTimes), TrainingBenchmark.Median(single));
    }

    private static void RunOrt(InferenceSession session, RunOptions runOptions, Memory<float> images)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, images, [images.Length / 784, 784]);
        using var outputs = session.Run(runOptions, [MnistOnnxContract.Input], [value], [MnistOnnxContract.Probabilities]);
    }
}
