namespace MlNetMnist.ModelDefinition.Training;

/// <summary>What one epoch achieved.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean training loss over the epoch (with augmentation and label smoothing as trained).</param>
/// <param name="TrainAccuracy">Share of training images classified correctly during the epoch (0–1).</param>
/// <param name="ValidationLoss">Cross-entropy on the held-out validation images, without label smoothing.</param>
/// <param name="ValidationAccuracy">Share of validation images classified correctly (0–1).</param>
/// <param name="LearningRate">Learning rate at the end of the epoch.</param>
/// <param name="Seconds">Wall-clock seconds of the epoch, validation included.</param>
/// <param name="ImagesPerSecond">Training images per second of the epoch, validation excluded.</param>
public sealed record EpochResult(
    int Epoch, double TrainLoss, double TrainAccuracy, double ValidationLoss, double ValidationAccuracy,
    double LearningRate, double Seconds, double ImagesPerSecond);
