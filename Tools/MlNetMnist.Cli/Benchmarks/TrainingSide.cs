using MlNetMnist.ModelDefinition.Training;

namespace MlNetMnist.Cli.Benchmarks;

/// <summary>One side of the training comparison, measured in a process of its own.</summary>
/// <param name="Key">The name in JSON field names, such as <c>BareLoopWithoutChannelsLast</c>.</param>
/// <param name="Label">What the table calls it.</param>
/// <param name="Kind">Who trains.</param>
/// <param name="Speedups">The speed-ups in effect (for TorchSharp sides).</param>
public sealed record TrainingSide(string Key, string Label, TrainingSideKind Kind, TrainingSpeedups Speedups)
{
    /// <summary>Every side, in the order the table shows them and the rounds run them.</summary>
    public static IReadOnlyList<TrainingSide> All { get; } =
    [
        new("Train", "our trainer (whole data path)", TrainingSideKind.Trainer, TrainingSpeedups.All),
        new("BareLoop", "bare loop, all speed-ups", TrainingSideKind.BareLoop, TrainingSpeedups.All),
        new("BareLoopWithoutChannelsLast", "  − channels-last", TrainingSideKind.BareLoop, TrainingSpeedups.All & ~TrainingSpeedups.ChannelsLast),
        new("BareLoopWithoutMemoryReuse", "  − memory reuse", TrainingSideKind.BareLoop, TrainingSpeedups.All & ~TrainingSpeedups.ReuseNativeMemory),
        new("BareLoopWithoutActivationAfterPooling", "  − ReLU after pooling", TrainingSideKind.BareLoop, TrainingSpeedups.All & ~TrainingSpeedups.ActivationAfterPooling),
        new("PlainTorchSharp", "plain TorchSharp loop", TrainingSideKind.BareLoop, TrainingSpeedups.None),
        new("PyTorch", "PyTorch loop, NCHW", TrainingSideKind.PyTorch, TrainingSpeedups.None),
        new("PyTorchChannelsLast", "PyTorch loop, channels-last", TrainingSideKind.PyTorch, TrainingSpeedups.ChannelsLast),
    ];

    /// <summary>The side called <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">No side has that key.</exception>
    public static TrainingSide Get(string key)
        => All.FirstOrDefault(side => side.Key == key)
           ?? throw new ArgumentException($"Unknown benchmark side '{key}'. Known: {string.Join(", ", All.Select(side => side.Key))}.", nameof(key));
}
