namespace MlNetMnist.Data;

/// <summary>
/// What a data set is, everything a model trained on it must know, in one place: its name, the
/// image shape, the class names in output order, the pixel normalization computed from its training
/// split, and where each split came from. Loading makes it (<see cref="DataSetLoader"/>); training,
/// export, <c>model.zip</c>, evaluation and the report take it from there. Serializable to JSON
/// (checkpoints and <c>run.json</c> record it).
/// </summary>
public sealed record DataSetDescription
{
    /// <summary>The most classes a data set may have.</summary>
    public const int MaxClasses = 1000;

    /// <summary>The data set's name: "MNIST" for the verified MNIST files, else the folder's name.</summary>
    public required string Name { get; init; }

    /// <summary>What the data set is stored as; decides what its models take as input.</summary>
    public required DataSetFormat Format { get; init; }

    /// <summary>The shape of every image, as the model sees it.</summary>
    public required ImageShape Shape { get; init; }

    /// <summary>The class names, in the order of the model's outputs.</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }

    /// <summary>Per-channel mean and standard deviation of the training pixels (0–1 scale).</summary>
    public required PixelNormalization Normalization { get; init; }

    /// <summary>Where the training split came from.</summary>
    public required SplitOrigin Train { get; init; }

    /// <summary>Where the test split came from.</summary>
    public required SplitOrigin Test { get; init; }

    /// <summary>True when this is the real MNIST, recognized by the SHA-256 of all four files.</summary>
    public bool IsVerifiedMnist { get; init; }

    /// <summary>Number of classes.</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>The description of the real MNIST files with the given origins (shape 1×28×28, classes 0–9).</summary>
    public static DataSetDescription ForMnist(PixelNormalization normalization, SplitOrigin train, SplitOrigin test) => new()
    {
        Name = MnistCatalog.DataSetName,
        Format = DataSetFormat.Idx,
        Shape = MnistCatalog.Shape,
        ClassNames = MnistCatalog.ClassNames,
        Normalization = normalization,
        Train = train,
        Test = test,
        IsVerifiedMnist = true,
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first inconsistency (shape, class count, normalization channels).</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new ArgumentException("The data set needs a name.");
        if (Shape.Problem() is { } shapeProblem) throw new ArgumentException($"Data set '{Name}': {shapeProblem}.");
        if (ClassNames.Count is < 2 or > MaxClasses)
            throw new ArgumentException($"Data set '{Name}' has {ClassNames.Count} classes; 2 to {MaxClasses} are supported.");
        if (ClassNames.Any(string.IsNullOrWhiteSpace)) throw new ArgumentException($"Data set '{Name}' has an empty class name.");
        var duplicate = ClassNames.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Data set '{Name}' names two classes '{duplicate.Key}'.");
        if (Normalization.Channels != Shape.Channels)
            throw new ArgumentException($"Data set '{Name}' has {Shape.Channels} channels but a normalization of {Normalization.Channels}.");
    }
}

/// <summary>Where one split of a data set came from.</summary>
/// <param name="Location">The file or folder it was read from.</param>
/// <param name="Count">Images in the split.</param>
/// <param name="Detail">How it was made, for people: for example "SHA-256 ba891046e650…" or "20% of each class held out (seed 1)".</param>
public sealed record SplitOrigin(string Location, int Count, string? Detail = null);
