using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Networks;

namespace MlNetMnist.ModelDefinition.Training;

/// <summary>The outcome of an ensemble's training (see <see cref="EnsembleTrainer"/>).</summary>
public sealed class EnsembleTrainingResult
{
    internal EnsembleTrainingResult(TrainingOptions options, DataSetDescription dataSet, IReadOnlyList<TrainingResult> members, ClassifierEnsemble? ensemble, double validationAccuracy)
    {
        Options = options;
        DataSet = dataSet;
        Members = members;
        Ensemble = ensemble;
        ValidationAccuracy = validationAccuracy;
    }

    /// <summary>The ensemble's options (member <c>i</c> trained with seed <c>Seed + i</c>).</summary>
    public TrainingOptions Options { get; }

    /// <summary>The data set trained on.</summary>
    public DataSetDescription DataSet { get; }

    /// <summary>The members trained or loaded so far, in order; when cancelled, the last one is the member that was stopped.</summary>
    public IReadOnlyList<TrainingResult> Members { get; }

    /// <summary>Every member with its best epoch's weights, in eval mode; null when cancelled. It owns the members' networks.</summary>
    public ClassifierEnsemble? Ensemble { get; }

    /// <summary>The ensemble's accuracy (0–1) on the validation hold-out; NaN when cancelled.</summary>
    public double ValidationAccuracy { get; }

    /// <summary>True when cancellation stopped a member before its last epoch.</summary>
    public bool Cancelled => Ensemble is null;

    /// <summary>Seconds spent training, summed over the members (their resumed epochs included).</summary>
    public double TrainSeconds => Members.Sum(m => m.TrainSeconds);
}
