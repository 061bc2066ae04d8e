using MlNetMnist.ModelDefinition.Networks;

namespace MlNetMnist.ModelDefinition.Training;

/// <summary>The outcome of a training run (see <see cref="ClassifierTrainer"/>).</summary>
public sealed class TrainingResult
{
    internal TrainingResult(TrainingOptions options, MlNetMnist.Data.DataSetDescription dataSet, ClassifierNetwork network, IReadOnlyList<EpochResult> history, int bestEpoch, double trainSeconds, bool cancelled, int validationCount)
    {
        Options = options;
        DataSet = dataSet;
        Network = network;
        History = history;
        BestEpoch = bestEpoch;
        TrainSeconds = trainSeconds;
        Cancelled = cancelled;
        ValidationCount = validationCount;
    }

    /// <summary>The options the run used (for a resumed run, the checkpoint's).</summary>
    public TrainingOptions Options { get; }

    /// <summary>The data set trained on: shape, classes and normalization the network expects.</summary>
    public MlNetMnist.Data.DataSetDescription DataSet { get; }

    /// <summary>The network with the weights of the best epoch (highest validation accuracy), in eval mode.</summary>
    public ClassifierNetwork Network { get; }

    /// <summary>Every completed epoch, resumed ones included.</summary>
    public IReadOnlyList<EpochResult> History { get; }

    /// <summary>The 1-based epoch whose weights <see cref="Network"/> holds; 0 when no epoch completed.</summary>
    public int BestEpoch { get; }

    /// <summary>Validation accuracy of <see cref="BestEpoch"/> (0–1), or NaN when no epoch completed.</summary>
    public double BestValidationAccuracy => BestEpoch > 0 ? History[BestEpoch - 1].ValidationAccuracy : double.NaN;

    /// <summary>Seconds spent training, summed over all epochs (those of a resumed run included).</summary>
    public double TrainSeconds { get; }

    /// <summary>True when cancellation stopped the run before its last epoch.</summary>
    public bool Cancelled { get; }

    /// <summary>Images held out for validation.</summary>
    public int ValidationCount { get; }
}
