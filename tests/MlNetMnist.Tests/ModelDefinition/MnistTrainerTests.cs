using MlNetMnist.ModelDefinition.Networks;
using MlNetMnist.ModelDefinition.Training;
using MlNetMnist.Tests.Support;
using static TorchSharp.torch;

namespace MlNetMnist.Tests.ModelDefinition;

/// <summary>Short trainings on slices of the real training set.</summary>
[Collection(TorchSharpCollection.Name)]
public sealed class MnistTrainerTests
{
    private static readonly TrainingOptions Small = TrainingPresets.Get(TrainingPresets.Default) with
    {
        Epochs = 1, BatchSize = 64, Limit = 3_000, Threads = 2,
    };

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void AShortTrainingOnThreeThousandImagesBeatsNinetyPercentValidationAccuracy()
    {
        var epochs = new List<EpochResult>();
        var batches = 0;
        var result = new ClassifierTrainer(new Observer(_ => batches++, epochs.Add)).Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, Small);

        Assert.Equal(300, result.ValidationCount); // 10% held out from the end of the slice
        Assert.Equal(1, result.BestEpoch);
        Assert.True(result.BestValidationAccuracy > 0.90, $"validation accuracy {result.BestValidationAccuracy:P2}");
        Assert.Equal(43, batches); // 2,700 training images in batches of 64
        var epoch = Assert.Single(epochs);
        Assert.Equal(result.History[0], epoch);
        Assert.True(epoch.ImagesPerSecond > 0 && epoch.Seconds > 0 && epoch.TrainLoss > 0);
        Assert.False(result.Network.training);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void TheSameSeedGivesTheSameWeightsAndAnotherSeedDoesNot()
    {
        // In a process of its own, like the resume check below: TorchSharp's generator is
        // process-wide, and a test of another collection that builds a network (loading a
        // checkpoint does) draws from it between a seed and the weights it gives.
        var check = Program.Read<SeedCheck>(Program.RunChild(new Dictionary<string, string>(), "seed-check"));

        Assert.True(check.DifferingTensors.Length == 0, $"the same seed gave other weights: {string.Join(", ", check.DifferingTensors)}");
        Assert.Equal(check.FirstLoss, check.SecondLoss);
        Assert.True(check.OtherSeedDiffers, "seed 2 gave the same first-layer weights as seed 1");
    }

    /// <summary>What <see cref="RunSeedCheck"/> saw.</summary>
    public sealed record SeedCheck(string[] DifferingTensors, double FirstLoss, double SecondLoss, bool OtherSeedDiffers);

    /// <summary>In the child: three short trainings, seeds 1, 1 and 2.</summary>
    internal static SeedCheck RunSeedCheck()
    {
        var options = Small with { Limit = 1_000 };
        var first = new ClassifierTrainer().Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, options);
        var second = new ClassifierTrainer().Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, options);
        var other = new ClassifierTrainer().Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, options with { Seed = 2 });
        return new SeedCheck(Differing(first.Network, second.Network), first.History[0].TrainLoss, second.History[0].TrainLoss,
            !Same(first.Network.state_dict()["layers.conv1.weight"], other.Network.state_dict()["layers.conv1.weight"]));
    }

    private static string[] Differing(ClassifierNetwork expected, ClassifierNetwork actual)
    {
        var a = expected.state_dict();
        var b = actual.state_dict();
        return a.Keys.Union(b.Keys).Where(name => !a.ContainsKey(name) || !b.ContainsKey(name) || !Same(a[name], b[name])).ToArray();
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void ARunCancelledAfterItsFirstEpochResumesToTheSameWeightsAsAnUninterruptedRun()
    {
        // In a process of its own: bit-for-bit equality is the claim, and in the test host other
        // collections allocate, score and spin threads beside the training.
        using var dir = new TempDirectory();
        var check = Program.Read<ResumeCheck>(Program.RunChild(new Dictionary<string, string>(), "resume-check", dir.Path));

        Assert.True(check.StoppedCancelled);
        Assert.Equal(1, check.StoppedEpochs);
        Assert.Equal(1, check.CheckpointEpochsAfterStop);
        Assert.False(check.ResumedCancelled);
        Assert.Equal(2, check.ResumedEpochs);
        Assert.Equal(check.UninterruptedSecondEpochLoss, check.ResumedSecondEpochLoss);
        Assert.True(check.DifferingTensors.Length == 0, $"differ: {string.Join(", ", check.DifferingTensors)}");
        Assert.Equal(2, check.CheckpointEpochsAfterResume);
    }

    /// <summary>What <see cref="RunResumeCheck"/> saw.</summary>
    public sealed record ResumeCheck(bool StoppedCancelled, int StoppedEpochs, int CheckpointEpochsAfterStop, bool ResumedCancelled, int ResumedEpochs,
        double UninterruptedSecondEpochLoss, double ResumedSecondEpochLoss, string[] DifferingTensors, int CheckpointEpochsAfterResume);

    /// <summary>
    /// In the child: two epochs uninterrupted; the same run cancelled after its first epoch (the
    /// token is cancelled by the epoch callback, after the checkpoint is written), then resumed.
    /// </summary>
    internal static ResumeCheck RunResumeCheck(string folder)
    {
        var options = Small with { Epochs = 2, Limit = 1_200 };
        var uninterrupted = new ClassifierTrainer().Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, options);

        using var cancel = new CancellationTokenSource();
        var checkpoint = Path.Combine(folder, "checkpoint");
        var stopped = new ClassifierTrainer(new Observer(_ => { }, _ => cancel.Cancel()), checkpoint)
            .Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, options, cancel.Token);
        int afterStop = TrainingCheckpoint.ReadState(checkpoint).EpochsCompleted;

        var resumed = new ClassifierTrainer(checkpointPath: checkpoint).Resume(checkpoint, RealMnist.DataSet.Train);
        var differing = Differing(uninterrupted.Network, resumed.Network);
        return new ResumeCheck(stopped.Cancelled, stopped.History.Count, afterStop, resumed.Cancelled, resumed.History.Count,
            uninterrupted.History[1].TrainLoss, resumed.History.Count > 1 ? resumed.History[1].TrainLoss : double.NaN, differing,
            TrainingCheckpoint.ReadState(checkpoint).EpochsCompleted);
    }

    [Fact]
    public void ACheckpointOfAnotherNetworkOrACorruptOneGivesAClearError()
    {
        using var dir = new TempDirectory();
        var checkpoint = dir.File("checkpoint");
        new ClassifierTrainer(checkpointPath: checkpoint).Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, Small with { Limit = 500, Network = NetworkCatalog.Seed });

        var bytes = File.ReadAllBytes(checkpoint);
        File.WriteAllBytes(dir.File("truncated"), bytes[..(bytes.Length / 2)]);
        var truncated = Assert.Throws<CheckpointException>(() => new ClassifierTrainer().Resume(dir.File("truncated"), RealMnist.DataSet.Train));
        Assert.Contains("corrupt", truncated.Message);

        File.WriteAllText(dir.File("text"), "not a checkpoint");
        var text = Assert.Throws<CheckpointException>(() => TrainingCheckpoint.ReadState(dir.File("text")));
        Assert.Contains("not an MlNetMnist training checkpoint", text.Message);

        var missing = Assert.Throws<CheckpointException>(() => TrainingCheckpoint.ReadState(dir.File("none")));
        Assert.Contains("not found", missing.Message);
    }

    [Fact]
    public void InvalidOptionsAreRefusedBeforeTraining()
    {
        var e = Assert.Throws<ArgumentException>(() => new ClassifierTrainer().Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, Small with { BatchSize = 0 }));
        Assert.Contains("Batch size", e.Message);
        Assert.Throws<ArgumentException>(() => new ClassifierTrainer().Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, Small with { Network = "resnet" }));
    }

    [Fact]
    public void OneCycleWarmsUpToThePeakThenAnnealsToNearlyZero()
    {
        Assert.Equal(0.04, LearningRates.At(LearningRateSchedule.OneCycle, 1, 0, 100), 6);
        Assert.Equal(1.0, LearningRates.At(LearningRateSchedule.OneCycle, 1, 20, 100), 6);
        Assert.True(LearningRates.At(LearningRateSchedule.OneCycle, 1, 99, 100) < 0.001);
        Assert.Equal(0.5, LearningRates.At(LearningRateSchedule.Cosine, 1, 50, 100), 3);
        Assert.Equal(0.3, LearningRates.At(LearningRateSchedule.Constant, 0.3, 77, 100));
    }

    [Fact]
    public void AugmentationMovesTheDigitButKeepsItsInkAndTheBackground()
    {
        using var scope = NewDisposeScope();
        const float background = -0.4242f;
        var images = tensor(RealMnist.DataSet.Test.Slice(0, 32).Pixels.Select(p => p / 255f / 0.3081f + background).ToArray(), [32, 1, 28, 28]);
        using var generator = new Generator(7);

        var moved = new BatchAugmenter(new AugmentationOptions(), background).Apply(images, generator);
        var same = new BatchAugmenter(AugmentationOptions.None, background).Apply(images, generator);

        Assert.Equal(images.shape, moved.shape);
        Assert.True(Same(same, images));
        Assert.False(moved.allclose(images, atol: 0.1));
        double inkBefore = (images - background).sum().item<float>();
        double inkAfter = (moved - background).sum().item<float>();
        Assert.InRange(inkAfter / inkBefore, 0.75, 1.25); // scaling by ±10% changes area by up to ±21%
        Assert.Equal(background, moved[.., .., 0, 0].mean().item<float>(), 2); // corners stay empty
    }

    private sealed class Observer(Action<BatchProgress> onBatch, Action<EpochResult> onEpoch) : ITrainingObserver
    {
        public void OnBatch(BatchProgress progress) => onBatch(progress);
        public void OnEpoch(EpochResult result) => onEpoch(result);
    }
}
