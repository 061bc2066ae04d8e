using MlNetMnist.ModelDefinition.Networks;
using MlNetMnist.ModelDefinition.Training;

namespace MlNetMnist.Tests.ModelDefinition;

/// <summary>What each preset promises in its options (its accuracy and time are measured by <c>mnist run</c>, docs/results.md).</summary>
public sealed class TrainingPresetsTests
{
    [Fact]
    public void EveryPresetIsValidAndChoosesItsEpochByTheValidationHoldOutOfTheFullTrainingSet()
    {
        Assert.Equal(["default", "best", "ensemble", "seed", "fast"], TrainingPresets.Names);
        foreach (var name in TrainingPresets.Names)
        {
            var options = TrainingPresets.Get(name);
            options.Validate();
            Assert.Equal(name == TrainingPresets.Fast ? 1_000 : 5_000, options.ValidationCount);
            Assert.Equal(name == TrainingPresets.Fast ? 6_000 : null, options.Limit);
            Assert.Equal(1, options.Seed);
            Assert.Null(options.Threads); // every core
            Assert.Equal(TrainingSpeedups.All, options.Speedups);
        }
        Assert.Throws<ArgumentException>(() => TrainingPresets.Get("huge"));
    }

    [Fact]
    public void BestIsOneAugmentedWideNetworkAndEnsembleTrainsItsOptionsOnWideAndStridedMembers()
    {
        var best = TrainingPresets.Get(TrainingPresets.Best);
        var ensemble = TrainingPresets.Get(TrainingPresets.Ensemble);
        Assert.Equal(1, best.EnsembleMembers);
        Assert.Equal(NetworkCatalog.Wide, best.Network);
        Assert.True(best.Augmentation.IsEnabled);
        Assert.Equal(3, ensemble.EnsembleMembers);
        Assert.Equal(best, ensemble with { EnsembleMembers = 1, Network = best.Network, Preset = TrainingPresets.Best });
        Assert.Equal(TrainingPresets.Ensemble, ensemble.Preset); // each preset names itself, so a resumed run can say which it is
        var members = Enumerable.Range(0, 3).Select(i => EnsembleTrainer.MemberOptions(ensemble, i)).ToList();
        Assert.Equal([1, 2, 3], members.Select(m => m.Seed));
        Assert.Equal([NetworkCatalog.Wide, NetworkCatalog.Strided, NetworkCatalog.Wide], members.Select(m => m.MemberNetwork));
        Assert.Equal("wide+strided+wide", ensemble.EnsembleArchitecture);
        // Member 0 is exactly the best preset's network: the same options but for the member's index.
        Assert.Equal(best with { EnsembleMembers = 3, Network = ensemble.Network, Preset = TrainingPresets.Ensemble }, members[0]);
    }

    [Fact]
    public void DefaultFastAndSeedAreSingleNetworksAndSeedIsTheTutorials()
    {
        foreach (var name in new[] { TrainingPresets.Default, TrainingPresets.Fast, TrainingPresets.Seed })
            Assert.Equal(1, TrainingPresets.Get(name).EnsembleMembers);
        var seed = TrainingPresets.Get(TrainingPresets.Seed);
        Assert.Equal(NetworkCatalog.Seed, seed.Network); // Conv 32, Conv 64, Dense 128, Dense 10
        Assert.Equal((12, 128, 0.001, LearningRateSchedule.Constant), (seed.Epochs, seed.BatchSize, seed.LearningRate, seed.Schedule));
        Assert.Equal((0.0, 0.0), (seed.WeightDecay, seed.LabelSmoothing)); // plain Adam, plain cross-entropy
        Assert.False(seed.Augmentation.IsEnabled);
        var fast = TrainingPresets.Get(TrainingPresets.Fast);
        Assert.Equal(TrainingPresets.Get(TrainingPresets.Default).Network, fast.Network);
    }
}
