namespace MlNetMnist.Pipelines.Evaluation;

/// <summary>
/// Every figure of one evaluation, as ML.NET's multiclass evaluator computed it, plus the lists a
/// person needs to see where the model fails.
/// </summary>
public sealed class MnistEvaluation
{
    /// <summary>Images evaluated.</summary>
    public required int Count { get; init; }

    /// <summary>Images classified correctly.</summary>
    public int Correct => Enumerable.Range(0, ConfusionMatrix.Length).Sum(d => ConfusionMatrix[d][d]);

    /// <summary>Micro accuracy: the share of images classified correctly (0–1).</summary>
    public required double Accuracy { get; init; }

    /// <summary>Macro accuracy: the mean of the per-digit recalls (0–1).</summary>
    public required double MacroAccuracy { get; init; }

    /// <summary>Mean negative log of the probability given to the true digit.</summary>
    public required double LogLoss { get; init; }

    /// <summary>Relative improvement of <see cref="LogLoss"/> over always predicting the class frequencies (1 is perfect).</summary>
    public required double LogLossReduction { get; init; }

    /// <summary>The share of images whose true digit is among the model's two most probable.</summary>
    public required double Top2Accuracy { get; init; }

    /// <summary>Precision, recall and F1 of each digit 0–9.</summary>
    public required IReadOnlyList<ClassMetrics> PerClass { get; init; }

    /// <summary>Counts: row = true digit, column = predicted digit.</summary>
    public required int[][] ConfusionMatrix { get; init; }

    /// <summary>The non-zero off-diagonal cells, most frequent first.</summary>
    public IReadOnlyList<Confusion> TopConfusions =>
        (from a in Enumerable.Range(0, ConfusionMatrix.Length)
         from p in Enumerable.Range(0, ConfusionMatrix.Length)
         where a != p && ConfusionMatrix[a][p] > 0
         orderby ConfusionMatrix[a][p] descending, a, p
         select new Confusion(a, p, ConfusionMatrix[a][p])).ToList();

    /// <summary>Every misclassified image, most confident mistakes first.</summary>
    public required IReadOnlyList<Misclassification> Misclassified { get; init; }
}
