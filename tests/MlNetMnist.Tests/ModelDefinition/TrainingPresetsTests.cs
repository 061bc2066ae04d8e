using MlNetMnist.ModelDefinition.Networks;
using MlNetMnist.ModelDefinition.Training;
using MlNetMnist.Tests.Support;
using TorchSharp;

namespace MlNetMnist.Tests.ModelDefinition;

/// <summary>What each preset promises in its options (its accuracy and time are measured by <c>mnist run</c>, docs/results.md).</summary>
[Collection(TorchSharpCollection.Name)] // seeds and draws from TorchSharp's process-wide generator
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
        // AdamW shrinks each weight by learning rate × decay a step: 2e-4 at the peak for best, where 1e-4 × 0.004 would be next to none.
        Assert.Equal(2e-4, best.LearningRate * best.WeightDecay, 1e-12);
        Assert.Equal(3, ensemble.EnsembleMembers);
        Assert.Equal(TrainingPresets.LightWeightDecay, ensemble.WeightDecay); // its members decay their weights next to nothing
        Assert.Equal(best, ensemble with { EnsembleMembers = 1, Network = best.Network, Preset = TrainingPresets.Best, WeightDecay = best.WeightDecay });
        Assert.Equal(TrainingPresets.Ensemble, ensemble.Preset); // each preset names itself, so a resumed run can say which it is
        var members = Enumerable.Range(0, 3).Select(i => EnsembleTrainer.MemberOptions(ensemble, i)).ToList();
        Assert.Equal([1, 2, 3], members.Select(m => m.Seed));
        Assert.Equal([NetworkCatalog.Wide, NetworkCatalog.Strided, NetworkCatalog.Wide], members.Select(m => m.MemberNetwork));
        Assert.Equal("wide+strided+wide", ensemble.EnsembleArchitecture);
        // Member 0 is the best preset's network but for its weight decay and the member's index.
        Assert.Equal(best with { EnsembleMembers = 3, Network = ensemble.Network, Preset = TrainingPresets.Ensemble, WeightDecay = ensemble.WeightDecay }, members[0]);
    }

    [Fact]
    public void BestsOptimizerShrinksEveryWeightByLearningRateTimesDecayEachStep()
    {
        var best = TrainingPresets.Get(TrainingPresets.Best);
        using var scope = torch.NewDisposeScope(); // the copies and the differences below
        torch.manual_seed(1);
        using var network = NetworkCatalog.Create(NetworkCatalog.Default);
        var before = network.parameters().Select(p => p.detach().clone()).ToList();
        using var optimizer = ClassifierTrainer.CreateOptimizer(network, best);
        using (var zero = network.forward(torch.rand(2, 1, 28, 28)).sum() * 0) zero.backward(); // every gradient 0: Adam's own step is 0
        optimizer.step();
        double factor = 1 - best.LearningRate * best.WeightDecay; // 1 - 2e-4
        int seen = 0;
        foreach (var (p, p0) in network.parameters().Zip(before))
        {
            Assert.True((p - p0 * factor).abs().max().item<float>() < 1e-7f, "each weight shrinks by learning rate × decay");
            float largest = p0.abs().max().item<float>();
            if (largest > 0 && (p - p0).abs().max().item<float>() > 1e-4f * largest) seen++; // at least half the 2e-4 expected
        }
        Assert.Equal(before.Count(p => p.abs().max().item<float>() > 0), seen); // batch-norm shifts start at 0 and stay there
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
        Assert.False(seed.Calibrate); // the tutorial's plain softmax
        foreach (var name in TrainingPresets.Names.Where(n => n != TrainingPresets.Seed))
            Assert.True(TrainingPresets.Get(name).Calibrate, name);
        var fast = TrainingPresets.Get(TrainingPresets.Fast);
        Assert.Equal(TrainingPresets.Get(TrainingPresets.Default).Network, fast.Network);
    }
}
