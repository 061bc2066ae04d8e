using System.Diagnostics;
using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Networks;
using MlNetMnist.ModelDefinition.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MlNetMnist.Cli.Benchmarks;

/// <summary>
/// Training throughput of <see cref="MnistTrainer"/> against a bare TorchSharp loop doing the same
/// forward, loss, backward and optimizer step on the same number of images, with no data path
/// (pre-sliced batches, no shuffling, no augmentation, no bookkeeping). Rounds alternate between the
/// two so machine noise hits both alike.
/// </summary>
public static class TrainingBenchmark
{
    /// <summary>Images per second of both sides, the median over <paramref name="rounds"/> rounds each.</summary>
    public static (double Trainer, double BareLoop) Measure(MnistSplit train, string preset, int images, int rounds, int threads)
    {
        var options = TrainingPresets.Get(preset) with { Epochs = 1, Limit = images + 1_000, ValidationCount = 1_000, Threads = threads };
        var trainer = new List<double>();
        var bare = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            bare.Add(BareLoop(train, options, images));
            trainer.Add(new MnistTrainer().Train(train, options).History[0].ImagesPerSecond);
        }
        return (Median(trainer), Median(bare));
    }

    /// <summary>One pass of the bare loop over <paramref name="images"/> images; returns images per second.</summary>
    public static double BareLoop(MnistSplit train, TrainingOptions options, int images)
    {
        set_num_threads(options.Threads ?? Environment.ProcessorCount);
        random.manual_seed(options.Seed);
        using var network = NetworkCatalog.Create(options.Network);
        network.train();
        using var optimizer = MnistTrainer.CreateOptimizer(network, options);
        using var x = SplitTensors.Images(train, images);
        using var y = SplitTensors.Labels(train, images);
        int batches = images / options.BatchSize;
        var clock = Stopwatch.StartNew();
        for (int b = 0; b < batches; b++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var logits = network.forward(x.narrow(0, (long)b * options.BatchSize, options.BatchSize));
            var loss = F.cross_entropy(logits, y.narrow(0, (long)b * options.BatchSize, options.BatchSize), label_smoothing: options.LabelSmoothing);
            loss.backward();
            optimizer.step();
        }
        return batches * options.BatchSize / clock.Elapsed.TotalSeconds;
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
