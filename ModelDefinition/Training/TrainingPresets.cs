namespace MlNetMnist.ModelDefinition.Training;

/// <summary>Named training configurations; the CLI's <c>--preset</c>.</summary>
public static class TrainingPresets
{
    /// <summary>The reference tutorial: seed network, Adam 1e-3, batch 128, no augmentation.</summary>
    public const string Seed = "seed";

    /// <summary>The default: ≥ 99.4% test accuracy within 180 s of training on 2 CPU cores.</summary>
    public const string Default = "default";

    /// <summary>The most accurate: the default network trained longer, ≥ 99.6% test accuracy in about 6 minutes on 2 CPU cores.</summary>
    public const string Best = "best";

    /// <summary>A smoke run on a slice of the data, well under a minute.</summary>
    public const string Fast = "fast";

    /// <summary>The names <see cref="Get"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [Default, Best, Seed, Fast];

    /// <summary>The options of preset <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static TrainingOptions Get(string name) => name switch
    {
        Default => new TrainingOptions
        {
            Network = Networks.NetworkCatalog.Default, Epochs = 8, BatchSize = 128, LearningRate = 0.004,
            WeightDecay = 1e-4, LabelSmoothing = 0.1, Schedule = LearningRateSchedule.OneCycle,
        },
        Best => new TrainingOptions
        {
            Network = Networks.NetworkCatalog.Default, Epochs = 20, BatchSize = 128, LearningRate = 0.004,
            WeightDecay = 1e-4, LabelSmoothing = 0.1, Schedule = LearningRateSchedule.OneCycle,
        },
        Seed => new TrainingOptions
        {
            Network = Networks.NetworkCatalog.Seed, Epochs = 12, BatchSize = 128, LearningRate = 0.001,
            Schedule = LearningRateSchedule.Constant, Augmentation = AugmentationOptions.None,
        },
        Fast => new TrainingOptions
        {
            Network = Networks.NetworkCatalog.Default, Epochs = 2, BatchSize = 128, LearningRate = 0.004,
            LabelSmoothing = 0.1, Schedule = LearningRateSchedule.OneCycle, Limit = 6_000, ValidationCount = 1_000,
        },
        _ => throw new ArgumentException($"Unknown preset '{name}'. Known presets: {string.Join(", ", Names)}.", nameof(name)),
    };
}
