namespace MlNetMnist.Pipelines.Reports;

/// <summary>What one training epoch achieved, as the report plots it.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean training loss over the epoch.</param>
/// <param name="TrainAccuracy">Share of training images classified correctly during the epoch (0–1).</param>
/// <param name="ValidationLoss">Loss on the held-out validation images.</param>
/// <param name="ValidationAccuracy">Share of validation images classified correctly (0–1).</param>
/// <param name="LearningRate">Learning rate at the end of the epoch.</param>
/// <param name="Seconds">Wall-clock seconds of the epoch.</param>
/// <param name="Member">The ensemble member (1-based) that trained the epoch, its epochs numbered on from the previous member's; 0 for a single network.</param>
public sealed record TrainingCurvePoint(
    int Epoch, double TrainLoss, double TrainAccuracy, double ValidationLoss, double ValidationAccuracy,
    double LearningRate, double Seconds, int Member = 0);
