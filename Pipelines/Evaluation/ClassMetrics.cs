namespace MlNetMnist.Pipelines.Evaluation;

/// <summary>How well one digit is recognized.</summary>
/// <param name="Digit">The digit, 0–9.</param>
/// <param name="Precision">Of the images predicted as this digit, the share that are this digit.</param>
/// <param name="Recall">Of the images of this digit, the share predicted as this digit.</param>
/// <param name="F1">The harmonic mean of precision and recall.</param>
/// <param name="Support">Images of this digit in the evaluated set.</param>
public sealed record ClassMetrics(int Digit, double Precision, double Recall, double F1, int Support);
