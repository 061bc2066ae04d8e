using MlNetMnist.ModelDefinition.Training;

namespace MlNetMnist.Cli.Benchmarks;

/// <summary>Who trains on a <see cref="TrainingSide"/>.</summary>
public enum TrainingSideKind
{
    /// <summary><see cref="ClassifierTrainer"/> with its whole data path.</summary>
    Trainer,

    /// <summary>Forward, loss, backward and optimizer step on pre-sliced in-memory batches.</summary>
    BareLoop,

    /// <summary>The same bare loop in PyTorch (optional: needs python3 with torch).</summary>
    PyTorch,
}
