using System.Diagnostics;
using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Networks;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MlNetMnist.ModelDefinition.Training;

/// <summary>
/// Trains a <see cref="ClassifierNetwork"/> on a data set's training split: Adam(W), cross-entropy with optional label
/// smoothing, a per-step learning-rate schedule, batch augmentation, and a validation split held out
/// from the training set to pick the best epoch. Writes a checkpoint after every epoch, stops
/// cleanly after the current batch when cancelled, and resumes from a checkpoint to the same result
/// an uninterrupted run gives (same seed, machine and thread count → same weights).
/// </summary>
/// <remarks>
/// <para>
/// Training sets process-wide state: libtorch's intra-op thread count (to
/// <see cref="TrainingOptions.Threads"/>) and the seed of TorchSharp's global random generator. Both
/// are restored when <see cref="Train"/> or <see cref="Resume"/> returns or throws, so a caller's
/// threads and random sequence continue as if no training had happened. Tensors and networks are
/// not thread-safe and training on two threads of one process at once is not supported: the two
/// runs would share these settings while they overlap.
/// </para>
/// <para>
/// One setting cannot be scoped: with <see cref="TrainingSpeedups.ReuseNativeMemory"/> (on by
/// default) glibc's allocator keeps freed memory for reuse for the rest of the process
/// (<see cref="NativeMemoryReuse"/>), because glibc offers no way to read its thresholds back or to
/// return to its initial, self-adjusting mmap threshold. A process that must not keep that memory
/// trains without the speed-up (<c>Speedups = TrainingSpeedups.All &amp; ~TrainingSpeedups.ReuseNativeMemory</c>)
/// or calls <see cref="NativeMemoryReuse.Disable"/> afterwards. See docs/reliability.md.
/// </para>
/// </remarks>
public sealed class ClassifierTrainer
{
    private const int EvaluationBatch = 1000;
    private readonly ITrainingObserver? _observer;
    private readonly string? _checkpointPath;

    /// <param name="observer">Receives progress; may be null.</param>
    /// <param name="checkpointPath">Where to write a checkpoint after every epoch; null for none.</param>
    public ClassifierTrainer(ITrainingObserver? observer = null, string? checkpointPath = null)
    {
        _observer = observer;
        _checkpointPath = checkpointPath;
    }

    /// <summary>Trains a new network on <paramref name="trainingSet"/> of the data set <paramref name="dataSet"/> with <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">An option is invalid, or the split does not have the data set's shape and classes.</exception>
    public TrainingResult Train(ImageSplit trainingSet, DataSetDescription dataSet, TrainingOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trainingSet);
        ArgumentNullException.ThrowIfNull(dataSet);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        dataSet.Validate();
        CheckSplit(trainingSet, dataSet);
        return Run(trainingSet, dataSet, options, resumeFrom: null, cancellationToken);
    }

    /// <summary>Continues the run saved in the checkpoint at <paramref name="checkpointPath"/>, with its own options.</summary>
    /// <param name="checkpointPath">The checkpoint to resume from (new checkpoints go where this trainer was told).</param>
    /// <param name="trainingSet">The same training split the run started with.</param>
    /// <param name="threads">Overrides the checkpoint's thread count when given.</param>
    /// <param name="cancellationToken">Stops the run after the current batch.</param>
    /// <exception cref="CheckpointException">The checkpoint is missing, corrupt, of another network, or of another data set's shape or classes.</exception>
    public TrainingResult Resume(string checkpointPath, ImageSplit trainingSet, int? threads = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trainingSet);
        var state = TrainingCheckpoint.ReadState(checkpointPath);
        var options = threads is null ? state.Options : state.Options with { Threads = threads };
        try
        {
            CheckSplit(trainingSet, state.DataSet);
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException(checkpointPath, $"was trained on other data: {e.Message} Resume with the same --data-dir.");
        }
        return Run(trainingSet, state.DataSet, options, checkpointPath, cancellationToken);
    }

    private static void CheckSplit(ImageSplit split, DataSetDescription dataSet)
    {
        if (split.Shape != dataSet.Shape)
            throw new ArgumentException($"The training images are {split.Shape}, but the data set '{dataSet.Name}' has {dataSet.Shape}.");
        if (split.ClassCount != dataSet.ClassCount)
            throw new ArgumentException($"The training split has {split.ClassCount} classes, but the data set '{dataSet.Name}' has {dataSet.ClassCount}.");
    }

    private TrainingResult Run(ImageSplit trainingSet, DataSetDescription dataSet, TrainingOptions options, string? resumeFrom, CancellationToken cancellationToken)
    {
        // Process-wide state the run changes, put back however it ends (see the remarks).
        int callerThreads = get_num_threads();
        using var callerRandomState = random.get_rng_state();
        try
        {
            set_num_threads(options.Threads ?? Environment.ProcessorCount);
            if (options.Speedups.HasFlag(TrainingSpeedups.ReuseNativeMemory)) NativeMemoryReuse.Enable(); // not restorable
            random.manual_seed(options.Seed);
            return RunScoped(trainingSet, dataSet, options, resumeFrom, cancellationToken);
        }
        finally
        {
            set_num_threads(callerThreads);
            random.set_rng_state(callerRandomState);
        }
    }

    private TrainingResult RunScoped(ImageSplit trainingSet, DataSetDescription dataSet, TrainingOptions options, string? resumeFrom, CancellationToken cancellationToken)
    {
        var network = CreateNetwork(options, dataSet.Shape, dataSet.ClassCount);
        using var optimizer = CreateOptimizer(network, options);
        var best = new Dictionary<string, Tensor>();
        var history = new List<EpochResult>();
        int bestEpoch = 0, startEpoch = 1;
        double trainSeconds = 0;

        if (resumeFrom is not null)
        {
            var state = TrainingCheckpoint.Load(resumeFrom, network, best, optimizer);
            history.AddRange(state.History);
            bestEpoch = state.BestEpoch;
            trainSeconds = state.TrainSeconds;
            startEpoch = state.EpochsCompleted + 1;
        }

        using var data = new TrainingData(trainingSet, dataSet.Normalization, options.Limit, options.ValidationCount);
        var augmenter = new BatchAugmenter(options.Augmentation, data.Background);
        int batches = (data.TrainCount + options.BatchSize - 1) / options.BatchSize;
        long totalSteps = (long)batches * options.Epochs;
        bool cancelled = false;

        for (int epoch = startEpoch; epoch <= options.Epochs && !cancelled; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var (loss, accuracy, lr, stopped) = TrainEpoch(network, optimizer, data, augmenter, options, epoch, batches, totalSteps, cancellationToken);
            if (stopped)
            {
                cancelled = true;
                break;
            }
            double trainTime = clock.Elapsed.TotalSeconds;
            var (validationLoss, validationAccuracy) = Evaluate(network, data.ValidationImages, data.ValidationLabels);
            double seconds = clock.Elapsed.TotalSeconds;
            trainSeconds += seconds;
            var result = new EpochResult(epoch, loss, accuracy, validationLoss, validationAccuracy, lr, seconds, data.TrainCount / trainTime);
            history.Add(result);
            if (bestEpoch == 0 || validationAccuracy > history[bestEpoch - 1].ValidationAccuracy)
            {
                bestEpoch = epoch;
                CopyState(network, best);
            }
            if (_checkpointPath is not null)
                TrainingCheckpoint.Save(_checkpointPath, new(options, dataSet, epoch, history, bestEpoch, trainSeconds), network, best, optimizer);
            _observer?.OnEpoch(result);
        }

        if (best.Count > 0) network.load_state_dict(best);
        foreach (var tensor in best.Values) tensor.Dispose();
        network.eval();
        return new TrainingResult(options, dataSet, network, history, bestEpoch, trainSeconds, cancelled, data.ValidationCount);
    }

    private (double Loss, double Accuracy, double LearningRate, bool Cancelled) TrainEpoch(
        ClassifierNetwork network, TorchSharp.Modules.OptimizerHelper optimizer, TrainingData data, BatchAugmenter augmenter,
        TrainingOptions options, int epoch, int batches, long totalSteps, CancellationToken cancellationToken)
    {
        network.train();
        // Every random draw of an epoch comes from seeds derived from (seed, epoch), so a resumed run
        // draws exactly what the uninterrupted run would have drawn.
        random.manual_seed(options.Seed * 7919L + epoch);
        using var generator = new Generator((ulong)(options.Seed * 1_000_003L + epoch));
        using var order = randperm(data.TrainCount, generator: generator);
        double lossSum = 0, lr = 0;
        long correct = 0, seen = 0;
        var clock = Stopwatch.StartNew();
        for (int b = 0; b < batches; b++)
        {
            if (cancellationToken.IsCancellationRequested) return (0, 0, lr, true);
            using var scope = NewDisposeScope();
            long start = (long)b * options.BatchSize;
            long size = Math.Min(options.BatchSize, data.TrainCount - start);
            var index = order.narrow(0, start, size);
            var images = augmenter.Apply(data.TrainImages.index_select(0, index), generator);
            var labels = data.TrainLabels.index_select(0, index);

            lr = LearningRates.At(options.Schedule, options.LearningRate, (long)(epoch - 1) * batches + b, totalSteps);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            optimizer.zero_grad();
            var logits = network.forward(images);
            var loss = F.cross_entropy(logits, labels, label_smoothing: options.LabelSmoothing);
            loss.backward();
            optimizer.step();

            lossSum += loss.item<float>() * size;
            correct += logits.argmax(1).eq(labels).sum().item<long>();
            seen += size;
            _observer?.OnBatch(new BatchProgress(epoch, options.Epochs, b + 1, batches, lossSum / seen, (double)correct / seen, seen / clock.Elapsed.TotalSeconds));
        }
        return (lossSum / seen, (double)correct / seen, lr, false);
    }

    /// <summary>Mean cross-entropy (no smoothing) and accuracy of <paramref name="network"/> in eval mode.</summary>
    internal static (double Loss, double Accuracy) Evaluate(nn.Module<Tensor, Tensor> network, Tensor images, Tensor labels)
    {
        bool wasTraining = network.training;
        network.eval();
        using var noGrad = no_grad();
        double lossSum = 0;
        long correct = 0, count = images.shape[0];
        for (long start = 0; start < count; start += EvaluationBatch)
        {
            using var scope = NewDisposeScope();
            long size = Math.Min(EvaluationBatch, count - start);
            var logits = network.forward(images.narrow(0, start, size));
            var target = labels.narrow(0, start, size);
            lossSum += F.cross_entropy(logits, target, reduction: nn.Reduction.Sum).item<float>();
            correct += logits.argmax(1).eq(target).sum().item<long>();
        }
        if (wasTraining) network.train();
        return (lossSum / count, (double)correct / count);
    }

    /// <summary>A freshly initialized network of <paramref name="options"/>' architecture for images of <paramref name="shape"/> and <paramref name="classes"/> classes, laid out as its speed-ups say.</summary>
    public static ClassifierNetwork CreateNetwork(TrainingOptions options, ImageShape shape, int classes)
    {
        ArgumentNullException.ThrowIfNull(options);
        var network = NetworkCatalog.Create(options.MemberNetwork, shape, classes, options.Speedups.HasFlag(TrainingSpeedups.ActivationAfterPooling));
        network.ChannelsLast = options.Speedups.HasFlag(TrainingSpeedups.ChannelsLast);
        return network;
    }

    /// <summary>The optimizer a run with <paramref name="options"/> uses: AdamW when there is weight decay, else Adam.</summary>
    public static TorchSharp.Modules.OptimizerHelper CreateOptimizer(ClassifierNetwork network, TrainingOptions options)
        => options.WeightDecay > 0
            ? optim.AdamW(network.parameters(), options.LearningRate, weight_decay: options.WeightDecay)
            : optim.Adam(network.parameters(), options.LearningRate);

    private static void CopyState(ClassifierNetwork network, Dictionary<string, Tensor> destination)
    {
        foreach (var tensor in destination.Values) tensor.Dispose();
        destination.Clear();
        using var noGrad = no_grad();
        foreach (var (name, tensor) in network.state_dict())
            destination[name] = tensor.detach().clone();
    }
}
