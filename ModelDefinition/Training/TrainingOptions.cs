namespace MlNetMnist.ModelDefinition.Training;

/// <summary>Everything that decides a training run. Serializable to JSON (checkpoints and <c>run.json</c> record it).</summary>
public sealed record TrainingOptions
{
    /// <summary>
    /// The network's name in <see cref="Networks.NetworkCatalog"/>. An ensemble may name its
    /// members' networks in turn, joined by <c>+</c>: with <c>wide+strided+wide</c> member 0 is
    /// wide, member 1 strided, member 2 wide, member 3 wide again, and so on (member <c>i</c> takes
    /// name <c>i</c> mod the number of names; see <see cref="MemberNetwork"/>). One network takes the
    /// first name.
    /// </summary>
    public string Network { get; init; } = Networks.NetworkCatalog.Default;

    /// <summary>The separator of per-member network names in <see cref="Network"/>.</summary>
    public const char NetworkSeparator = '+';

    /// <summary>
    /// The preset these options started from (<see cref="TrainingPresets.Get"/> sets it; overrides
    /// keep it), so that a resumed run still says what it is; null for options built by hand.
    /// Recorded, never acted on: it decides nothing.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Preset { get; init; }

    /// <summary>Passes over the training images.</summary>
    public int Epochs { get; init; } = 12;

    /// <summary>Images per optimizer step.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Peak learning rate of Adam(W).</summary>
    public double LearningRate { get; init; } = 0.004;

    /// <summary>Decoupled weight decay (AdamW); 0 gives plain Adam.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Label smoothing of the cross-entropy loss (0 = none).</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>How the learning rate changes from step to step.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.OneCycle;

    /// <summary>Random distortions of training images.</summary>
    public AugmentationOptions Augmentation { get; init; } = new();

    /// <summary>
    /// Networks trained and averaged into one model (<see cref="EnsembleTrainer"/>); 1, the default,
    /// trains one. Member <c>i</c> (0-based) trains with these options and seed <see cref="Seed"/> + i.
    /// <see cref="ClassifierTrainer"/> trains one network whatever this says.
    /// </summary>
    public int EnsembleMembers { get; init; } = 1;

    /// <summary>The most members an ensemble may have.</summary>
    public const int MaxEnsembleMembers = 16;

    /// <summary>
    /// The member of the ensemble these options train (0-based; <see cref="EnsembleTrainer.MemberOptions"/>
    /// sets it). It picks the member's name out of a per-member <see cref="Network"/>; 0, the
    /// default, for a single network and for an ensemble as a whole (left out of JSON then).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public int EnsembleMember { get; init; }

    /// <summary>The network these options train: <see cref="Network"/>, or its name for <see cref="EnsembleMember"/> when it names one per member.</summary>
    public string MemberNetwork => NetworkNames[Math.Max(0, EnsembleMember) % NetworkNames.Count];

    /// <summary>What an ensemble of these options exports as its architecture (<c>wide×3</c>, <c>wide+strided+wide</c>); the network's name for one network.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string EnsembleArchitecture => EnsembleMembers == 1 ? MemberNetwork
        : Networks.ClassifierEnsemble.DescribeArchitecture([.. Enumerable.Range(0, EnsembleMembers).Select(i => (this with { EnsembleMember = i }).MemberNetwork)]);

    /// <summary>The names in <see cref="Network"/>: one, or one per member.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> NetworkNames => Network.Split(NetworkSeparator);

    /// <summary>Seed of every random choice: weights, batch order, augmentation, dropout.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Images held out from the end of the training set to choose the best epoch; the test set is never used.</summary>
    public int ValidationCount { get; init; } = 5_000;

    /// <summary>Use only the first N training images (validation included); null for all.</summary>
    public int? Limit { get; init; }

    /// <summary>Threads for TorchSharp's CPU kernels; null for the number of cores.</summary>
    public int? Threads { get; init; }

    /// <summary>How training is made fast on a CPU without changing what it computes; all on by default.</summary>
    public TrainingSpeedups Speedups { get; init; } = TrainingSpeedups.All;

    /// <summary>
    /// Whether the exported model is calibrated: a temperature fitted on the validation hold-out
    /// divides its logits (<see cref="TemperatureScaling"/>), which changes its probabilities and
    /// log-loss, never its predicted class. Default true; the seed preset keeps the tutorial's
    /// plain softmax.
    /// </summary>
    public bool Calibrate { get; init; } = true;

    /// <summary>Checks the options and throws an <see cref="ArgumentException"/> naming the first bad one.</summary>
    public void Validate()
    {
        foreach (var name in NetworkNames)
            if (!Networks.NetworkCatalog.Names.Contains(name))
                throw new ArgumentException($"Unknown network '{name}'. Known: {string.Join(", ", Networks.NetworkCatalog.Names)}" +
                    $"{(NetworkNames.Count > 1 ? $" (an ensemble names its members' networks in turn, joined by '{NetworkSeparator}')" : "")}.");
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1 (got {Epochs}).");
        if (BatchSize < 1) throw new ArgumentException($"Batch size must be at least 1 (got {BatchSize}).");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"Learning rate must be positive (got {LearningRate}).");
        if (WeightDecay < 0) throw new ArgumentException($"Weight decay must not be negative (got {WeightDecay}).");
        if (LabelSmoothing is < 0 or >= 1) throw new ArgumentException($"Label smoothing must be in [0, 1) (got {LabelSmoothing}).");
        if (ValidationCount < 1) throw new ArgumentException($"The validation set needs at least 1 image (got {ValidationCount}).");
        if (Limit is < 2) throw new ArgumentException($"Limit must be at least 2 images (got {Limit}).");
        if (EnsembleMembers is < 1 or > MaxEnsembleMembers)
            throw new ArgumentException($"An ensemble has 1 to {MaxEnsembleMembers} members (got {EnsembleMembers}).");
        if (EnsembleMember < 0 || EnsembleMember >= EnsembleMembers)
            throw new ArgumentException($"Ensemble member {EnsembleMember} does not exist in an ensemble of {EnsembleMembers}.");
        if (Threads is < 1) throw new ArgumentException($"Threads must be at least 1 (got {Threads}).");
        if ((Speedups & ~TrainingSpeedups.All) != 0) throw new ArgumentException($"Unknown speed-up flags in {Speedups}.");
    }
}
