using System.Diagnostics;
using System.Text.Json;
using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MlNetMnist.Cli.Benchmarks;

/// <summary>
/// Training throughput of every <see cref="TrainingSide"/>: <see cref="ClassifierTrainer"/>, a bare
/// TorchSharp loop with each speed-up on and off, and optionally the same loop in PyTorch. Each
/// measurement runs in a fresh child process (allocator settings are process-wide and a heap
/// remembers what ran before), after a warm-up, and the sides alternate round by round so that
/// the machine's noise hits all of them alike.
/// </summary>
public static class TrainingBenchmark
{
    private const int WarmupBatches = 5;

    /// <summary>Median images per second of every side, keyed by <see cref="TrainingSide.Key"/>; PyTorch sides only when <paramref name="pyTorch"/> is given.</summary>
    public static Dictionary<string, double> Compare(string preset, ImageDataSet data, int images, int rounds, int threads, PyTorchPeer? pyTorch, CancellationToken cancellationToken)
    {
        var sides = TrainingSide.All.Where(side => side.Kind != TrainingSideKind.PyTorch || pyTorch is not null).ToList();
        var samples = sides.ToDictionary(side => side.Key, _ => new List<double>());
        for (int round = 0; round < rounds; round++)
        {
            foreach (var side in sides)
            {
                samples[side.Key].Add(side.Kind == TrainingSideKind.PyTorch
                    ? pyTorch!.Measure(TrainingPresets.Get(preset), side.Speedups.HasFlag(TrainingSpeedups.ChannelsLast), images, threads, cancellationToken)
                    : MeasureInChild(side, preset, data.Directory, images, threads, cancellationToken));
            }
        }
        return samples.ToDictionary(kv => kv.Key, kv => Statistics.Median(kv.Value));
    }

    /// <summary>Images per second of <paramref name="side"/> in this process; what the child process runs.</summary>
    public static double Measure(TrainingSide side, ImageDataSet data, string preset, int images, int threads)
    {
        var options = TrainingPresets.Get(preset) with { Threads = threads, Speedups = side.Speedups };
        return side.Kind switch
        {
            TrainingSideKind.Trainer => Trainer(data, options, images),
            TrainingSideKind.BareLoop => BareLoop(data, options, images),
            _ => throw new ArgumentException($"{side.Key} does not run in TorchSharp.", nameof(side)),
        };
    }

    private static double MeasureInChild(TrainingSide side, string preset, string dataDirectory, int images, int threads, CancellationToken cancellationToken)
    {
        string output = ChildProcess.RunSelf(
            ["bench-side", side.Key, "--preset", preset, "--images", images.ToString(), "--threads", threads.ToString(), "--data-dir", dataDirectory, "--no-download", "--quiet"],
            cancellationToken);
        return LastJsonNumber(output, "imagesPerSecond");
    }

    /// <summary>One epoch of <see cref="ClassifierTrainer"/> over <paramref name="images"/> images, after a warm-up run of a few batches.</summary>
    private static double Trainer(ImageDataSet data, TrainingOptions options, int images)
    {
        var run = options with { Epochs = 1, ValidationCount = 1_000 };
        new ClassifierTrainer().Train(data.Train, data.Description, run with { Limit = WarmupBatches * options.BatchSize + 1_000 }).Network.Dispose();
        var result = new ClassifierTrainer().Train(data.Train, data.Description, run with { Limit = images + 1_000 });
        result.Network.Dispose();
        return result.History[0].ImagesPerSecond;
    }

    /// <summary>
    /// The bare loop: the trainer's network, optimizer and loss on pre-sliced batches of in-memory
    /// tensors (no shuffling, augmentation, schedule or bookkeeping); a few warm-up batches, then
    /// <paramref name="images"/> images timed.
    /// </summary>
    private static double BareLoop(ImageDataSet data, TrainingOptions options, int images)
    {
        set_num_threads(options.Threads ?? Environment.ProcessorCount);
        if (options.Speedups.HasFlag(TrainingSpeedups.ReuseNativeMemory)) NativeMemoryReuse.Enable();
        random.manual_seed(options.Seed);
        using var network = ClassifierTrainer.CreateNetwork(options, data.Description.Shape, data.Description.ClassCount);
        network.train();
        using var optimizer = ClassifierTrainer.CreateOptimizer(network, options);
        using var x = SplitTensors.Images(data.Train, data.Description.Normalization, images);
        using var y = SplitTensors.Labels(data.Train, images);
        int batches = images / options.BatchSize;
        Stopwatch? clock = null;
        for (int b = -WarmupBatches; b < batches; b++)
        {
            if (b == 0) clock = Stopwatch.StartNew();
            long start = (long)Math.Max(b, 0) * options.BatchSize;
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var logits = network.forward(x.narrow(0, start, options.BatchSize));
            var loss = F.cross_entropy(logits, y.narrow(0, start, options.BatchSize), label_smoothing: options.LabelSmoothing);
            loss.backward();
            optimizer.step();
        }
        return batches * options.BatchSize / clock!.Elapsed.TotalSeconds;
    }

    internal static double LastJsonNumber(string output, string property)
    {
        using var json = JsonDocument.Parse(ChildProcess.LastJsonLine(output));
        return json.RootElement.GetProperty(property).GetDouble();
    }
}
