namespace MlNetMnist.ModelDefinition.Training;

/// <summary>Receives training progress; the CLI draws it. Called on the training thread: keep it quick.</summary>
public interface ITrainingObserver
{
    /// <summary>After each batch.</summary>
    void OnBatch(BatchProgress progress);

    /// <summary>After each epoch, once its validation is done and its checkpoint written.</summary>
    void OnEpoch(EpochResult result);
}
