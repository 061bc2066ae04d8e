using MlNetMnist.ModelDefinition.Training;
using MlNetMnist.Tests.Support;
using static TorchSharp.torch;

namespace MlNetMnist.Tests.ModelDefinition;

/// <summary>Ensembles trained on a slice of the real training set: seeds, the common hold-out, cancelling and resuming per member.</summary>
[Collection(TorchSharpCollection.Name)]
public sealed class EnsembleTrainerTests
{
    private static readonly TrainingOptions Small = TrainingPresets.Get(TrainingPresets.Default) with
    {
        Epochs = 1, BatchSize = 64, Limit = 1_500, Threads = 2, EnsembleMembers = 3, Seed = 5,
    };

    private static string Checkpoint(TempDirectory dir, int member) => dir.File($"member{member}.checkpoint");

    [Fact]
    public void MembersTrainWithConsecutiveSeedsAndTheEnsembleIsMeasuredOnTheirCommonHoldOut()
    {
        var seen = new List<EnsembleMember>();
        var result = new EnsembleTrainer(new Members(seen)).Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, Small);

        Assert.False(result.Cancelled);
        Assert.Equal([5, 6, 7], seen.Select(m => m.Options.Seed));
        Assert.Equal([5, 6, 7], result.Members.Select(m => m.Options.Seed));
        Assert.All(seen, m => Assert.Equal(0, m.EpochsCompleted));
        Assert.All(result.Members, m => Assert.Equal(150, m.ValidationCount));
        var ensemble = result.Ensemble!;
        Assert.Equal("default×3", ensemble.Architecture);
        Assert.False(ensemble.training || ensemble.Members.Any(m => m.training), "the ensemble is not in eval mode");
        Assert.Equal(result.Members.Select(m => m.Network), ensemble.Members);
        var weights = ensemble.Members.Select(m => m.state_dict()["layers.fc.weight"]).ToList();
        Assert.False(weights[0].equal(weights[1]).all().item<bool>() || weights[1].equal(weights[2]).all().item<bool>(), "two members have the same weights: the seeds were not used");
        Assert.Equal(result.Members.Sum(m => m.TrainSeconds), result.TrainSeconds);

        // The validation accuracy is the ensemble's on the last 150 images of the slice, which no member trained on.
        var split = RealMnist.DataSet.Train;
        long correct;
        using (no_grad())
        using (var slice = SplitTensors.Images(split, RealMnist.DataSet.Description.Normalization, 1_500))
        using (var predicted = ensemble.forward(slice.narrow(0, 1_350, 150)).argmax(1))
            correct = predicted.data<long>().ToArray().Where((p, i) => p == split.Labels[1_350 + i]).LongCount();
        Assert.Equal(correct / 150.0, result.ValidationAccuracy, 10);
        Assert.True(result.ValidationAccuracy > 0.85, $"validation accuracy {result.ValidationAccuracy:P2}");
        ensemble.Dispose();
    }

    [Fact]
    public void MembersNamedOneByOneTrainTheirOwnNetworksAndResumeFromTheirCheckpointsAsThem()
    {
        using var dir = new TempDirectory();
        var options = Small with { EnsembleMembers = 2, Limit = 800, Network = "default+strided" };
        var trained = new EnsembleTrainer(null, i => Checkpoint(dir, i)).Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, options);
        using (var ensemble = trained.Ensemble!)
        {
            Assert.Equal(["default", "strided"], ensemble.Members.Select(m => m.Architecture));
            Assert.Equal("default+strided", ensemble.Architecture);
            Assert.Equal(options.EnsembleArchitecture, ensemble.Architecture);
            Assert.Equal([0, 1], trained.Members.Select(m => m.Options.EnsembleMember));
            Assert.Equal(["default", "strided"], trained.Members.Select(m => m.Options.MemberNetwork));
        }
        Assert.Equal("strided", TrainingCheckpoint.ReadState(Checkpoint(dir, 1)).Options.MemberNetwork);

        // Every member finished: resuming loads each checkpoint into its own network.
        var resumed = new EnsembleTrainer(null, i => Checkpoint(dir, i)).Resume(RealMnist.DataSet.Train);
        using (var ensemble = resumed.Ensemble!)
        {
            Assert.Equal("default+strided", ensemble.Architecture);
            Assert.Equal(options, resumed.Options);
            Assert.Equal(trained.ValidationAccuracy, resumed.ValidationAccuracy, 10);
        }
    }

    [Fact]
    public void NetworksNamedInTurnRepeatForLargerEnsemblesAndMustAllBeKnown()
    {
        var named = Small with { Network = "wide+strided", EnsembleMembers = 5 };
        named.Validate();
        Assert.Equal(["wide", "strided", "wide", "strided", "wide"], Enumerable.Range(0, 5).Select(i => EnsembleTrainer.MemberOptions(named, i).MemberNetwork));
        Assert.Equal("wide+strided+wide+strided+wide", named.EnsembleArchitecture);
        Assert.Equal("wide", (named with { EnsembleMembers = 1 }).EnsembleArchitecture); // one network: the first name
        Assert.Equal("wide×2", (Small with { Network = "wide", EnsembleMembers = 2 }).EnsembleArchitecture);

        Assert.Contains("Unknown network 'huge'", Assert.Throws<ArgumentException>((Small with { Network = "default+huge+wide" }).Validate).Message);
        Assert.Contains("member 3 does not exist", Assert.Throws<ArgumentException>((Small with { EnsembleMember = 3 }).Validate).Message);
    }

    [Fact]
    public void AnEnsembleOfOneOrOfTooManyIsRefusedBeforeTraining()
    {
        var one = Assert.Throws<ArgumentException>(() => new EnsembleTrainer().Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, Small with { EnsembleMembers = 1 }));
        Assert.Contains("at least 2 members", one.Message);
        var many = Assert.Throws<ArgumentException>(() => new EnsembleTrainer().Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, Small with { EnsembleMembers = TrainingOptions.MaxEnsembleMembers + 1 }));
        Assert.Contains("1 to 16 members", many.Message);
    }

    [Fact]
    public void CancellingInTheSecondMemberStopsThereAndResumingLoadsTheFirstContinuesTheSecondAndTrainsTheThird()
    {
        using var dir = new TempDirectory();
        var options = Small with { Epochs = 2 };
        using var cancel = new CancellationTokenSource();
        var stopped = new EnsembleTrainer(new Members([], (member, batch) =>
        {
            if (member.Index == 1 && batch.Epoch == 2 && batch.Batch == 3) cancel.Cancel();
        }), i => Checkpoint(dir, i)).Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, options, cancel.Token);

        Assert.True(stopped.Cancelled);
        Assert.Null(stopped.Ensemble);
        Assert.True(double.IsNaN(stopped.ValidationAccuracy));
        Assert.Equal(2, stopped.Members.Count);
        Assert.False(stopped.Members[0].Cancelled);
        Assert.True(stopped.Members[1].Cancelled);
        Assert.Equal(2, TrainingCheckpoint.ReadState(Checkpoint(dir, 0)).EpochsCompleted);
        Assert.Equal(1, TrainingCheckpoint.ReadState(Checkpoint(dir, 1)).EpochsCompleted); // stopped in its second epoch
        Assert.False(File.Exists(Checkpoint(dir, 2)));

        var seen = new List<EnsembleMember>();
        var resumed = new EnsembleTrainer(new Members(seen), i => Checkpoint(dir, i)).Resume(RealMnist.DataSet.Train);

        Assert.False(resumed.Cancelled);
        Assert.Equal([(true, 2), (false, 1), (false, 0)], seen.Select(m => (m.IsComplete, m.EpochsCompleted)));
        Assert.Equal([2, 2, 2], resumed.Members.Select(m => m.History.Count));
        Assert.Equal(stopped.Members[0].History, resumed.Members[0].History); // loaded, not trained again
        Assert.Equal(stopped.Members[1].History[0], resumed.Members[1].History[0]);
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(2, TrainingCheckpoint.ReadState(Checkpoint(dir, i)).EpochsCompleted));
        Assert.Equal(options with { Threads = null }, resumed.Options with { Threads = null });
        resumed.Ensemble!.Dispose();
        foreach (var member in stopped.Members) member.Network.Dispose();
    }

    [Fact]
    public void ResumingWithAMemberCheckpointOfAnotherRunOrOfASingleNetworkGivesAClearError()
    {
        using var dir = new TempDirectory();
        var options = Small with { EnsembleMembers = 2, Limit = 600 };
        new EnsembleTrainer(null, i => Checkpoint(dir, i)).Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, options).Ensemble!.Dispose();

        File.Copy(Checkpoint(dir, 0), Checkpoint(dir, 1), overwrite: true); // member 1's place, member 0's seed
        var foreign = Assert.Throws<CheckpointException>(() => new EnsembleTrainer(null, i => Checkpoint(dir, i)).Resume(RealMnist.DataSet.Train));
        Assert.Contains(Checkpoint(dir, 1), foreign.Message);
        Assert.Contains("does not belong to this ensemble", foreign.Message);

        new ClassifierTrainer(checkpointPath: Checkpoint(dir, 0)).Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, options with { EnsembleMembers = 1 }).Network.Dispose();
        var single = Assert.Throws<CheckpointException>(() => new EnsembleTrainer(null, i => Checkpoint(dir, i)).Resume(RealMnist.DataSet.Train));
        Assert.Contains("single network", single.Message);
    }

    /// <summary>Records each member as it starts and passes its batches to <paramref name="onBatch"/>.</summary>
    private sealed class Members(List<EnsembleMember> seen, Action<EnsembleMember, BatchProgress>? onBatch = null) : IEnsembleObserver
    {
        public TrainingResult RunMember(EnsembleMember member, Func<ITrainingObserver?, TrainingResult> train)
        {
            seen.Add(member);
            return train(new Batches(batch => onBatch?.Invoke(member, batch)));
        }
    }

    private sealed class Batches(Action<BatchProgress> onBatch) : ITrainingObserver
    {
        public void OnBatch(BatchProgress progress) => onBatch(progress);
        public void OnEpoch(EpochResult result) { }
    }
}
