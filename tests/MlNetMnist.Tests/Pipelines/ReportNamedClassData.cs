using Microsoft.ML;
using MlNetMnist.Data;
using MlNetMnist.Pipelines.Evaluation;
using MlNetMnist.Pipelines.Reports;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Pipelines;

/// <summary>
/// A four-class evaluation with named classes for the report tests: 200 real test images relabeled
/// as their digit modulo 4, with made-up scores (every 7th image wrong, taken for the next class).
/// The names include a long one and one that needs HTML escaping.
/// </summary>
public static class ReportNamedClassData
{
    public const string LongName = "a very long class name that no tile can hold whole";

    public const string HtmlName = "<b>&";

    public static IReadOnlyList<string> Names { get; } = ["alpha", "beta", LongName, HtmlName];

    private static readonly Lazy<(MnistEvaluation, ImageSplit)> Lazy = new(Create);

    public static MnistEvaluation Evaluation => Lazy.Value.Item1;

    public static ImageSplit Images => Lazy.Value.Item2;

    public static ReportContext Context() => new()
    {
        Title = "shapes <abc> — run",
        DataSetName = "shapes <abc>",
        Labels = Names,
        CreatedUtc = new DateTimeOffset(2025, 3, 14, 15, 9, 26, TimeSpan.Zero),
    };

    private static (MnistEvaluation, ImageSplit) Create()
    {
        var mnist = RealMnist.DataSet.Test.Slice(0, 200);
        var labels = mnist.Labels.Select(l => l % 4).ToArray();
        var split = new ImageSplit("test", mnist.Shape, mnist.Pixels.ToArray(), labels, 4);
        var scores = labels.Select((label, i) =>
        {
            int predicted = i % 7 == 3 ? (label + 1) % 4 : label;
            var s = Enumerable.Repeat(0.1f / 3, 4).ToArray();
            s[predicted] = 0.9f;
            return s;
        }).ToArray();
        return (MnistEvaluator.Evaluate(new MLContext(seed: 1), labels, scores, classes: 4), split);
    }
}
