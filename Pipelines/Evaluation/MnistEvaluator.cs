using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetMnist.Data;

namespace MlNetMnist.Pipelines.Evaluation;

/// <summary>
/// Evaluates an <see cref="MnistModel"/> on a labelled split: one scoring pass through ML.NET's
/// IDataView and OnnxTransformer (blocks of 256 images per ONNX Runtime call, see
/// <see cref="Batching.BatchedScorer"/>), then ML.NET's <c>MulticlassClassification.Evaluate</c> on
/// the scores for the metrics and the confusion matrix.
/// </summary>
public static class MnistEvaluator
{
    private const string PredictedLabelColumn = "PredictedLabel";

    /// <summary>Scores and evaluates <paramref name="split"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="split">Labelled images (for example the MNIST test set).</param>
    /// <param name="progress">Receives the number of images scored so far.</param>
    /// <param name="cancellationToken">Stops the scoring pass.</param>
    /// <param name="threads">ONNX Runtime intra-op threads; null lets ONNX Runtime decide.</param>
    public static MnistEvaluation Evaluate(MnistModel model, ImageSplit split, IProgress<int>? progress = null, CancellationToken cancellationToken = default, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(split);
        using var scorer = new Batching.BatchedScorer(model, threads: threads);
        var scores = scorer.ScoreAll(split, progress, cancellationToken);
        return Evaluate(model.Context, split.Labels, scores, model.Metadata.ClassCount);
    }

    /// <summary>Evaluates precomputed <paramref name="scores"/> (one probability vector per image) against <paramref name="labels"/> with ML.NET.</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="labels">The true class of each image.</param>
    /// <param name="scores">The probabilities of each image, <paramref name="classes"/> each.</param>
    /// <param name="classes">The number of classes; null for the length of the first score vector.</param>
    public static MnistEvaluation Evaluate(MLContext context, IReadOnlyList<int> labels, IReadOnlyList<float[]> scores, int? classes = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (labels.Count != scores.Count) throw new ArgumentException($"{labels.Count} labels but {scores.Count} score vectors.");
        if (labels.Count == 0) throw new ArgumentException("Nothing to evaluate: no images.");
        int classCount = classes ?? scores[0].Length;
        if (scores.Any(s => s.Length != classCount)) throw new ArgumentException($"Every score vector must hold {classCount} probabilities.");

        var rows = labels.Select((label, i) => new ScoredRow
        {
            Label = label,
            Score = scores[i],
            PredictedLabel = DigitPrediction.ArgMax(scores[i]),
        });
        var schema = SchemaDefinition.Create(typeof(ScoredRow));
        schema[nameof(ScoredRow.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, classCount);
        var view = context.Data.LoadFromEnumerable(rows, schema);
        var metrics = context.MulticlassClassification.Evaluate(view, ImageSplitDataView.LabelColumn, ScoringPipeline.ScoreColumn, PredictedLabelColumn, topKPredictionCount: 2);
        var matrix = metrics.ConfusionMatrix;
        var counts = Enumerable.Range(0, classCount)
            .Select(a => Enumerable.Range(0, classCount).Select(p => a < matrix.NumberOfClasses && p < matrix.NumberOfClasses ? (int)matrix.Counts[a][p] : 0).ToArray())
            .ToArray();
        var perClass = Enumerable.Range(0, classCount).Select(d =>
        {
            double precision = d < matrix.PerClassPrecision.Count ? matrix.PerClassPrecision[d] : 0;
            double recall = d < matrix.PerClassRecall.Count ? matrix.PerClassRecall[d] : 0;
            double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
            return new ClassMetrics(d, precision, recall, f1, counts[d].Sum());
        }).ToList();
        var misclassified = labels.Select((label, i) => (label, i))
            .Where(x => DigitPrediction.ArgMax(scores[x.i]) != x.label)
            .Select(x => new Misclassification(x.i, x.label, DigitPrediction.ArgMax(scores[x.i]), scores[x.i]))
            .OrderByDescending(m => m.Confidence).ThenBy(m => m.Index)
            .ToList();
        return new MnistEvaluation
        {
            Count = labels.Count,
            Accuracy = metrics.MicroAccuracy,
            MacroAccuracy = metrics.MacroAccuracy,
            LogLoss = metrics.LogLoss,
            LogLossReduction = metrics.LogLossReduction,
            Top2Accuracy = metrics.TopKAccuracy,
            PerClass = perClass,
            ConfusionMatrix = counts,
            Misclassified = misclassified,
        };
    }

    /// <summary>Runs the one-image-per-row pipeline (as saved in <c>model.zip</c>) over <paramref name="data"/> once and keeps every score vector.</summary>
    public static List<float[]> ScoreAll(MnistModel model, IDataView data, int count, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var scored = model.Score(data);
        var column = scored.Schema[ScoringPipeline.ScoreColumn];
        var result = new List<float[]>(count);
        using var cursor = scored.GetRowCursor([column]);
        var getScore = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        while (cursor.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            getScore(ref buffer);
            result.Add(buffer.DenseValues().ToArray());
            if (result.Count % 500 == 0) progress?.Report(result.Count);
        }
        progress?.Report(result.Count);
        return result;
    }

    private sealed class ScoredRow
    {
        public float Label { get; set; }

        [VectorType]
        public float[] Score { get; set; } = [];

        public float PredictedLabel { get; set; }
    }
}
