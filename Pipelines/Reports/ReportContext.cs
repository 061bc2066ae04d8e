namespace MlNetMnist.Pipelines.Reports;

/// <summary>
/// What a report says besides the evaluation itself: its title, where the model came from and how
/// it was trained. Everything but <see cref="Title"/> is optional.
/// </summary>
public sealed record ReportContext
{
    /// <summary>The report's heading, for example "MNIST test set — default network".</summary>
    public required string Title { get; init; }

    /// <summary>The data set's name (for example "MNIST"), or null.</summary>
    public string? DataSetName { get; init; }

    /// <summary>The class names in the model's output order, or null for the class numbers "0", "1", ….</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>The class names of <paramref name="evaluation"/>: <see cref="Labels"/>, or the class numbers.</summary>
    /// <exception cref="ArgumentException"><see cref="Labels"/> does not name one class per row of the confusion matrix.</exception>
    public IReadOnlyList<string> LabelsFor(Evaluation.MnistEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        int classes = evaluation.ConfusionMatrix.Length;
        if (Labels is null) return NumberedLabels(classes);
        if (Labels.Count != classes)
            throw new ArgumentException($"{Labels.Count} class names were given for an evaluation of {classes} classes.");
        return Labels;
    }

    /// <summary>"0", "1", … for <paramref name="classes"/> classes.</summary>
    public static IReadOnlyList<string> NumberedLabels(int classes)
        => Enumerable.Range(0, classes).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>A name for the model (for example its file name), or null.</summary>
    public string? ModelName { get; init; }

    /// <summary>The network architecture (for example "default"), or null.</summary>
    public string? Architecture { get; init; }

    /// <summary>The model's accuracy on its validation hold-out during training (0–1), or null.</summary>
    public double? ValidationAccuracy { get; init; }

    /// <summary>Wall-clock training time in seconds, or null.</summary>
    public double? TrainSeconds { get; init; }

    /// <summary>When the report was made.</summary>
    public DateTimeOffset CreatedUtc { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Loss and accuracy per epoch, or null when the training history is unknown.</summary>
    public IReadOnlyList<TrainingCurvePoint>? TrainingHistory { get; init; }

    /// <summary>
    /// Names for images, keyed by their index in the evaluated set (for example the files a user's
    /// images came from), or null. Shown beside those images; HTML-escaped in the report.
    /// </summary>
    public IReadOnlyDictionary<int, string>? ImageLabels { get; init; }
}
