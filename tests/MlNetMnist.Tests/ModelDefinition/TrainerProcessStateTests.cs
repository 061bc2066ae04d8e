using MlNetMnist.ModelDefinition.Training;
using MlNetMnist.Tests.Support;
using static TorchSharp.torch;

namespace MlNetMnist.Tests.ModelDefinition;

/// <summary>What training leaves of the process-wide state it changes: the thread count and the random generator as it found them.</summary>
[Collection(TorchSharpCollection.Name)]
public sealed class TrainerProcessStateTests
{
    private static readonly TrainingOptions Tiny = TrainingPresets.Get(TrainingPresets.Fast) with { Epochs = 1, Limit = 600, Threads = 2 };

    /// <summary>The next <paramref name="count"/> draws of the global generator, without consuming them.</summary>
    private static float[] NextDraws(int count)
    {
        using var state = random.get_rng_state();
        using var draws = rand(count);
        random.set_rng_state(state);
        return draws.data<float>().ToArray();
    }

    private sealed class Observer(Action<BatchProgress> onBatch, Action? onEpoch = null) : ITrainingObserver
    {
        public void OnBatch(BatchProgress progress) => onBatch(progress);

        public void OnEpoch(EpochResult result) => onEpoch?.Invoke();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    [Trait("Category", "Slow")]
    public void TrainingRestoresTheThreadCountAndTheRandomGeneratorWhetherItReturnsOrThrows(bool fails)
    {
        int threads = get_num_threads();
        try
        {
            set_num_threads(1);
            random.manual_seed(20_240);
            var expected = NextDraws(16);
            int threadsWhileTraining = 0;
            var trainer = new ClassifierTrainer(new Observer(_ =>
            {
                threadsWhileTraining = get_num_threads();
                if (fails) throw new InvalidOperationException("the observer fails");
            }));

            if (fails) Assert.Throws<InvalidOperationException>(() => trainer.Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, Tiny));
            else trainer.Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, Tiny).Network.Dispose();

            Assert.Equal(2, threadsWhileTraining); // the run had its own settings…
            Assert.Equal(1, get_num_threads());    // …and put the caller's back
            Assert.Equal(expected, NextDraws(16));  // the caller's random sequence continues where it was
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void AResumedRunRestoresThemToo()
    {
        using var dir = new TempDirectory();
        var checkpoint = dir.File("checkpoint");
        using var cancel = new CancellationTokenSource();
        new ClassifierTrainer(new Observer(_ => { }, cancel.Cancel), checkpoint) // stopped after epoch 1 of 2
            .Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, Tiny with { Epochs = 2 }, cancel.Token).Network.Dispose();
        Assert.Equal(1, TrainingCheckpoint.ReadState(checkpoint).EpochsCompleted);
        int threads = get_num_threads();
        try
        {
            set_num_threads(1);
            random.manual_seed(77);
            var expected = NextDraws(8);

            var resumed = new ClassifierTrainer().Resume(checkpoint, RealMnist.DataSet.Train, threads: 2);

            Assert.Equal(2, resumed.History.Count);
            resumed.Network.Dispose();
            Assert.Equal(1, get_num_threads());
            Assert.Equal(expected, NextDraws(8));
        }
        finally
        {
            set_num_threads(threads);
        }
    }
}
