using System.Diagnostics.CodeAnalysis;
using MlNetMnist.Data;
using MlNetMnist.Pipelines.Evaluation;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>Converts between the evaluation types and the <c>metrics.json</c> document, checking shapes on the way in.</summary>
internal static class MetricsJsonMapper
{
    public static MetricsJsonDocument ToDocument(MnistEvaluation evaluation, ReportContext context) => new()
    {
        Title = context.Title,
        CreatedUtc = context.CreatedUtc.ToUniversalTime(),
        DataSet = context.DataSetName,
        Labels = context.LabelsFor(evaluation).ToList(),
        Model = context is { ModelName: null, Architecture: null, ValidationAccuracy: null, TrainSeconds: null } ? null : new MetricsJsonModel
        {
            Name = context.ModelName,
            Architecture = context.Architecture,
            ValidationAccuracy = context.ValidationAccuracy,
            TrainSeconds = context.TrainSeconds,
        },
        Count = evaluation.Count,
        Correct = evaluation.Correct,
        Accuracy = evaluation.Accuracy,
        MacroAccuracy = evaluation.MacroAccuracy,
        LogLoss = evaluation.LogLoss,
        LogLossReduction = evaluation.LogLossReduction,
        Top2Accuracy = evaluation.Top2Accuracy,
        PerClass = evaluation.PerClass.Select(c => new MetricsJsonClass { Digit = c.Digit, Precision = c.Precision, Recall = c.Recall, F1 = c.F1, Support = c.Support }).ToList(),
        ConfusionMatrix = evaluation.ConfusionMatrix,
        TopConfusions = evaluation.TopConfusions.Select(c => new MetricsJsonConfusion { Actual = c.Actual, Predicted = c.Predicted, Count = c.Count }).ToList(),
        Misclassified = evaluation.Misclassified.Select(m => new MetricsJsonMisclassification
        {
            Index = m.Index, Actual = m.Actual, Predicted = m.Predicted, Confidence = m.Confidence, Probabilities = m.Probabilities,
        }).ToList(),
        TrainingHistory = context.TrainingHistory?.Select(p => new MetricsJsonEpoch
        {
            Epoch = p.Epoch, TrainLoss = p.TrainLoss, TrainAccuracy = p.TrainAccuracy, ValidationLoss = p.ValidationLoss,
            ValidationAccuracy = p.ValidationAccuracy, LearningRate = p.LearningRate, Seconds = p.Seconds, Member = p.Member,
        }).ToList(),
        ImageLabels = context.ImageLabels is null ? null : new SortedDictionary<int, string>(context.ImageLabels.ToDictionary()),
    };

    public static SavedMetrics FromDocument(MetricsJsonDocument d)
    {
        Check(d.ConfusionMatrix is not null, "a required field is null");
        int Classes = d.Labels?.Count ?? d.ConfusionMatrix.Length; // files before class names: as many classes as matrix rows
        Check(Classes >= 2 && d.Labels?.All(l => !string.IsNullOrEmpty(l)) != false, "labels must name at least two classes");
        bool IsDigit(int c) => c >= 0 && c < Classes;
        Check(d.Title is not null && d.PerClass is not null && d.ConfusionMatrix is not null && d.TopConfusions is not null && d.Misclassified is not null,
            "a required field is null");
        Check(d.PerClass.All(c => c is not null) && d.Misclassified.All(m => m is not null) && d.TrainingHistory?.All(e => e is not null) != false,
            "a list holds null");
        Check(d.ConfusionMatrix.Length == Classes && d.ConfusionMatrix.All(r => r is not null && r.Length == Classes),
            $"confusionMatrix must be {Classes} rows of {Classes} counts");
        Check(d.ConfusionMatrix.All(r => r.All(c => c >= 0)), "confusionMatrix has a negative count");
        Check(d.PerClass.Count == Classes && d.PerClass.Select(c => c.Digit).Order().SequenceEqual(Enumerable.Range(0, Classes)),
            $"perClass must have one entry for each class 0–{Classes - 1}");
        foreach (var m in d.Misclassified)
        {
            Check(m.Probabilities is not null && m.Probabilities.Length == Classes, $"misclassified image {m.Index} needs {Classes} probabilities");
            Check(IsDigit(m.Actual) && IsDigit(m.Predicted) && m.Index >= 0, $"misclassified image {m.Index} has a class outside 0–{Classes - 1} or a negative index");
        }
        var evaluation = new MnistEvaluation
        {
            Count = d.Count,
            Accuracy = d.Accuracy,
            MacroAccuracy = d.MacroAccuracy,
            LogLoss = d.LogLoss,
            LogLossReduction = d.LogLossReduction,
            Top2Accuracy = d.Top2Accuracy,
            PerClass = d.PerClass.OrderBy(c => c.Digit).Select(c => new ClassMetrics(c.Digit, c.Precision, c.Recall, c.F1, c.Support)).ToList(),
            ConfusionMatrix = d.ConfusionMatrix,
            Misclassified = d.Misclassified.Select(m => new Misclassification(m.Index, m.Actual, m.Predicted, m.Probabilities)).ToList(),
        };
        var context = new ReportContext
        {
            Title = d.Title,
            CreatedUtc = d.CreatedUtc,
            DataSetName = d.DataSet,
            // Class numbers are what a null Labels means; only real names are kept.
            Labels = d.Labels is null || d.Labels.SequenceEqual(ReportContext.NumberedLabels(Classes)) ? null : d.Labels,
            ModelName = d.Model?.Name,
            Architecture = d.Model?.Architecture,
            ValidationAccuracy = d.Model?.ValidationAccuracy,
            TrainSeconds = d.Model?.TrainSeconds,
            TrainingHistory = d.TrainingHistory?.Select(e => new TrainingCurvePoint(
                e.Epoch, e.TrainLoss, e.TrainAccuracy, e.ValidationLoss, e.ValidationAccuracy, e.LearningRate, e.Seconds, e.Member)).ToList(),
            ImageLabels = d.ImageLabels is null ? null : new Dictionary<int, string>(d.ImageLabels),
        };
        return new SavedMetrics(evaluation, context);
    }

    private static void Check([DoesNotReturnIf(false)] bool condition, string problem)
    {
        if (!condition) throw new InvalidDataException($"not a valid metrics file: {problem}.");
    }
}
