namespace MlNetMnist.ModelDefinition.Training;

/// <summary>Progress within an epoch, reported after each batch.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="Batch">Batches done in this epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Loss">Mean training loss so far in this epoch.</param>
/// <param name="Accuracy">Training accuracy so far in this epoch (0–1).</param>
/// <param name="ImagesPerSecond">Training throughput so far in this epoch.</param>
public sealed record BatchProgress(int Epoch, int Epochs, int Batch, int Batches, double Loss, double Accuracy, double ImagesPerSecond);
