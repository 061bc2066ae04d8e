using System.Globalization;
using Microsoft.ML;
using MlNetMnist.Data;
using MlNetMnist.Pipelines.Evaluation;
using MlNetMnist.Pipelines.Reports;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Pipelines;

/// <summary>
/// A fast, deterministic evaluation for the report tests: the first 1,000 real test images with
/// made-up scores (about 4% wrong, in several confusions and confidences), evaluated by ML.NET.
/// </summary>
public static class ReportTestData
{
    private static readonly Lazy<(MnistEvaluation, ImageSplit)> Lazy = new(Create);

    public static MnistEvaluation Evaluation => Lazy.Value.Item1;

    public static ImageSplit Images => Lazy.Value.Item2;

    /// <summary>The accuracy as the report shows it, for example "95.70%".</summary>
    public static string DisplayedAccuracy => (Evaluation.Accuracy * 100).ToString("F2", CultureInfo.InvariantCulture) + "%";

    public static IReadOnlyList<TrainingCurvePoint> History { get; } =
    [
        new(1, 0.62, 0.81, 0.21, 0.94, 0.003, 41.5),
        new(2, 0.19, 0.94, 0.11, 0.967, 0.002, 40.2),
        new(3, 0.12, 0.963, 0.08, 0.975, 0.001, 40.9),
        new(4, 0.09, 0.972, 0.07, 0.979, 0.0002, 39.8),
    ];

    public static ReportContext Context(bool withHistory = true) => new()
    {
        Title = "MNIST test slice — synthetic scores",
        ModelName = "model.onnx",
        Architecture = "default",
        ValidationAccuracy = 0.979,
        TrainSeconds = 162.4,
        CreatedUtc = new DateTimeOffset(2025, 3, 14, 15, 9, 26, TimeSpan.Zero),
        TrainingHistory = withHistory ? History : null,
    };

    /// <summary>Scores that pick <paramref name="predicted"/> with probability <paramref name="p"/>, the rest spread evenly.</summary>
    public static float[] Scores(int predicted, float p, int? second = null, float secondP = 0)
    {
        int others = second is null ? 9 : 8;
        var scores = Enumerable.Repeat((1 - p - secondP) / others, 10).ToArray();
        scores[predicted] = p;
        if (second is { } s) scores[s] = secondP;
        return scores;
    }

    private static (MnistEvaluation, ImageSplit) Create()
    {
        var split = RealMnist.DataSet.Test.Slice(0, 1_000);
        var scores = split.Labels.Select((label, i) =>
        {
            if (i % 23 != 5) return Scores(label, 0.97f);
            int predicted = (label + 1 + i % 3 * (i % 2)) % 10;       // a few recurring confusions
            float confidence = 0.45f + i % 11 * 0.05f;                 // 45%–95%
            return Scores(predicted, confidence, label, (1 - confidence) / 2);
        }).ToArray();
        return (MnistEvaluator.Evaluate(new MLContext(seed: 1), split.Labels, scores), split);
    }
}
