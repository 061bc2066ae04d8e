namespace MlNetMnist.ModelDefinition.Training;

/// <summary>One member of an ensemble as its training is about to run (see <see cref="IEnsembleObserver"/>).</summary>
/// <param name="Index">0-based position in the ensemble.</param>
/// <param name="Count">Members in the ensemble.</param>
/// <param name="Options">The member's options: the ensemble's, with seed <c>ensemble seed + Index</c>.</param>
/// <param name="EpochsCompleted">Epochs its checkpoint already holds: 0 for a new member, <c>Options.Epochs</c> for a finished one (which is loaded, not trained).</param>
/// <param name="Checkpoint">Where its checkpoint is written, or null for none.</param>
public sealed record EnsembleMember(int Index, int Count, TrainingOptions Options, int EpochsCompleted, string? Checkpoint)
{
    /// <summary>True when the checkpoint holds every epoch, so the member is loaded rather than trained.</summary>
    public bool IsComplete => EpochsCompleted >= Options.Epochs;
}

/// <summary>Shows the training of an ensemble, one member at a time.</summary>
public interface IEnsembleObserver
{
    /// <summary>
    /// Called once per member, in order: runs <paramref name="train"/> (which trains, resumes or loads
    /// the member, reporting to the observer it is given) and returns its result.
    /// </summary>
    TrainingResult RunMember(EnsembleMember member, Func<ITrainingObserver?, TrainingResult> train);
}
