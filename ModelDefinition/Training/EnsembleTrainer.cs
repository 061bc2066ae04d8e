using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Networks;
using static TorchSharp.torch;

namespace MlNetMnist.ModelDefinition.Training;

/// <summary>
/// Trains the <see cref="TrainingOptions.EnsembleMembers"/> networks of an ensemble one after
/// another, each a <see cref="ClassifierTrainer"/> run with the ensemble's options and its own seed
/// (<see cref="MemberOptions"/>) and its own checkpoint, then groups them into a
/// <see cref="ClassifierEnsemble"/> and measures it on the validation hold-out (the same images
/// every member held out). Resuming picks up where the checkpoints stop: finished members are
/// loaded, the member that was training continues from its last epoch, the rest start fresh; the
/// result is the one an uninterrupted run gives.
/// </summary>
/// <param name="observer">Runs and shows each member; null trains silently.</param>
/// <param name="checkpointPath">The checkpoint file of member <c>i</c>; null for no checkpoints (and no resume).</param>
public sealed class EnsembleTrainer(IEnsembleObserver? observer = null, Func<int, string>? checkpointPath = null)
{
    /// <summary>
    /// The options of member <paramref name="index"/>: the ensemble's, with seed <c>Seed + index</c>
    /// and <see cref="TrainingOptions.EnsembleMember"/> = <paramref name="index"/> (which picks its
    /// network when <see cref="TrainingOptions.Network"/> names the members' networks in turn).
    /// </summary>
    public static TrainingOptions MemberOptions(TrainingOptions ensemble, int index)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return ensemble with { Seed = ensemble.Seed + index, EnsembleMember = index };
    }

    /// <summary>Trains every member of a new ensemble (existing checkpoints are overwritten).</summary>
    /// <exception cref="ArgumentException">An option is invalid, fewer than two members are asked for, or the split does not match the data set.</exception>
    public EnsembleTrainingResult Train(ImageSplit trainingSet, DataSetDescription dataSet, TrainingOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trainingSet);
        ArgumentNullException.ThrowIfNull(dataSet);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.EnsembleMembers < 2)
            throw new ArgumentException($"An ensemble has at least 2 members (got {options.EnsembleMembers}); train one network with ClassifierTrainer.", nameof(options));
        return Run(trainingSet, dataSet, options, resume: false, cancellationToken);
    }

    /// <summary>Continues the ensemble whose member checkpoints this trainer was given, with the options saved in member 0's.</summary>
    /// <param name="trainingSet">The same training split the run started with.</param>
    /// <param name="threads">Overrides the checkpoints' thread count when given.</param>
    /// <param name="cancellationToken">Stops the run after the current batch.</param>
    /// <exception cref="CheckpointException">A checkpoint is missing, corrupt, not of this ensemble, or of other data.</exception>
    public EnsembleTrainingResult Resume(ImageSplit trainingSet, int? threads = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trainingSet);
        if (checkpointPath is null) throw new InvalidOperationException("This trainer has no checkpoints to resume from.");
        var first = TrainingCheckpoint.ReadState(checkpointPath(0));
        if (first.Options.EnsembleMembers < 2)
            throw new CheckpointException(checkpointPath(0), "is the checkpoint of a single network, not of an ensemble member.");
        var options = first.Options with { Threads = threads ?? first.Options.Threads };
        return Run(trainingSet, first.DataSet, options, resume: true, cancellationToken);
    }

    private EnsembleTrainingResult Run(ImageSplit trainingSet, DataSetDescription dataSet, TrainingOptions options, bool resume, CancellationToken cancellationToken)
    {
        var members = new List<TrainingResult>();
        try
        {
            for (int i = 0; i < options.EnsembleMembers; i++)
            {
                var member = Member(options, i, resume);
                var result = observer is null ? Train(member, trainingSet, dataSet, null, cancellationToken)
                    : observer.RunMember(member, memberObserver => Train(member, trainingSet, dataSet, memberObserver, cancellationToken));
                members.Add(result);
                if (result.Cancelled)
                    return new EnsembleTrainingResult(options, dataSet, members, null, double.NaN);
            }
            var ensemble = new ClassifierEnsemble(members.Select(m => m.Network).ToList());
            ensemble.eval(); // a new module starts in training mode, and evaluating would put the members back into it
            return new EnsembleTrainingResult(options, dataSet, members, ensemble, ValidationAccuracy(ensemble, trainingSet, dataSet, options));
        }
        catch
        {
            foreach (var member in members) member.Network.Dispose();
            throw;
        }
    }

    /// <summary>Member <paramref name="index"/> as its checkpoint (when resuming) finds it.</summary>
    private EnsembleMember Member(TrainingOptions options, int index, bool resume)
    {
        var memberOptions = MemberOptions(options, index);
        var path = checkpointPath?.Invoke(index);
        if (!resume || path is null || !File.Exists(path)) return new(index, options.EnsembleMembers, memberOptions, 0, path);
        var state = TrainingCheckpoint.ReadState(path);
        if (state.Options with { Threads = null, Preset = null } != memberOptions with { Threads = null, Preset = null }) // neither decides the weights
            throw new CheckpointException(path, $"does not belong to this ensemble: it was trained with {state.Options}, member {index} needs {memberOptions}. Start a new run without --resume.");
        return new(index, options.EnsembleMembers, memberOptions, state.EpochsCompleted, path);
    }

    private static TrainingResult Train(EnsembleMember member, ImageSplit trainingSet, DataSetDescription dataSet, ITrainingObserver? observer, CancellationToken cancellationToken)
    {
        if (member.IsComplete) return TrainingCheckpoint.LoadResult(member.Checkpoint!, trainingSet);
        var trainer = new ClassifierTrainer(observer, member.Checkpoint);
        return member.EpochsCompleted > 0
            ? trainer.Resume(member.Checkpoint!, trainingSet, member.Options.Threads, cancellationToken)
            : trainer.Train(trainingSet, dataSet, member.Options, cancellationToken);
    }

    /// <summary>Accuracy (0–1) of <paramref name="ensemble"/> on the images every member of a run with <paramref name="options"/> held out of <paramref name="trainingSet"/>.</summary>
    public static double ValidationAccuracy(ClassifierEnsemble ensemble, ImageSplit trainingSet, DataSetDescription dataSet, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        return TrainingData.WithHoldOut(trainingSet, dataSet, options, (images, labels) => ClassifierTrainer.Evaluate(ensemble, images, labels).Accuracy);
    }
}
