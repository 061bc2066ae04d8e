using System.Globalization;

namespace MlNetMnist.Data;

/// <summary>The images of one class: how many in each split.</summary>
/// <param name="Name">The class name.</param>
/// <param name="Train">Training images of the class.</param>
/// <param name="Test">Test images of the class.</param>
public sealed record ClassCount(string Name, int Train, int Test)
{
    /// <summary>Images of the class in both splits.</summary>
    public int Total => Train + Test;
}

/// <summary>
/// What a loaded data set holds, the way Keras' <c>image_dataset_from_directory</c> tells it:
/// <c>Found 1,797 images in 10 classes (1,437 train, 360 test)</c>, then the classes with a count
/// each, and a warning when the classes are very unbalanced. Made from any <see cref="ImageDataSet"/>
/// (<see cref="Of"/>); the CLI prints <see cref="Lines"/>. The warning is also among the data set's
/// <see cref="ImageDataSet.Notices"/> for image folders.
/// </summary>
public sealed record DataSetCounts
{
    /// <summary>The ratio of the largest class to the smallest from which the classes count as very unbalanced.</summary>
    public const double UnbalancedRatio = 10;

    /// <summary>The data set's name.</summary>
    public required string Name { get; init; }

    /// <summary>The image shape.</summary>
    public required ImageShape Shape { get; init; }

    /// <summary>Every class in output order, with its counts.</summary>
    public required IReadOnlyList<ClassCount> Classes { get; init; }

    /// <summary>Files left out as unreadable.</summary>
    public int Skipped { get; init; }

    /// <summary>Training images.</summary>
    public int Train => Classes.Sum(c => c.Train);

    /// <summary>Test images.</summary>
    public int Test => Classes.Sum(c => c.Test);

    /// <summary>All images.</summary>
    public int Total => Train + Test;

    /// <summary>The summary of <paramref name="dataSet"/>.</summary>
    public static DataSetCounts Of(ImageDataSet dataSet)
    {
        ArgumentNullException.ThrowIfNull(dataSet);
        var train = dataSet.Train.CountPerClass();
        var test = dataSet.Test.CountPerClass();
        return new DataSetCounts
        {
            Name = dataSet.Description.Name,
            Shape = dataSet.Description.Shape,
            Classes = dataSet.Description.ClassNames.Select((name, c) => new ClassCount(name, train[c], test[c])).ToArray(),
            Skipped = dataSet.SkippedFiles.Count,
        };
    }

    /// <summary><c>Found 1,797 images in 10 classes (1,437 train, 360 test)</c>.</summary>
    public string Headline => string.Create(CultureInfo.InvariantCulture,
        $"Found {Total:N0} image{(Total == 1 ? "" : "s")} in {Classes.Count:N0} classes ({Train:N0} train, {Test:N0} test)")
        + (Skipped > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {Skipped:N0} unreadable file{(Skipped == 1 ? "" : "s")} skipped") : "");

    /// <summary>The warning when the largest class has at least <see cref="UnbalancedRatio"/> times the images of the smallest; null otherwise.</summary>
    public string? UnbalancedWarning
    {
        get
        {
            if (Classes.Count < 2) return null;
            var largest = Classes.MaxBy(c => c.Total)!;
            var smallest = Classes.MinBy(c => c.Total)!;
            if (largest.Total < UnbalancedRatio * Math.Max(1, smallest.Total)) return null;
            return string.Create(CultureInfo.InvariantCulture,
                $"The classes are very unbalanced: '{largest.Name}' has {largest.Total:N0} images, '{smallest.Name}' only {smallest.Total:N0} ({(double)largest.Total / Math.Max(1, smallest.Total):0.#}×)")
                + ". The model will favor the large classes; add images of the small ones, or read the per-class accuracy in the report, not just the overall one.";
        }
    }

    /// <summary>
    /// The lines to print: the headline, the image shape, then one line per class (up to
    /// <paramref name="maxClasses"/>, the rest summed up), then the warning if any.
    /// </summary>
    public IReadOnlyList<string> Lines(int maxClasses = 30)
    {
        var lines = new List<string> { Headline, $"Images: {Shape.Height}×{Shape.Width}, {(Shape.Channels == 1 ? "gray" : "RGB")}" };
        int width = Math.Min(24, Classes.Max(c => c.Name.Length));
        foreach (var c in Classes.Take(maxClasses))
        {
            var name = c.Name.Length > width ? c.Name[..(width - 1)] + "…" : c.Name.PadRight(width);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  {name}  {c.Total,7:N0}  ({c.Train:N0} train, {c.Test:N0} test)"));
        }
        if (Classes.Count > maxClasses)
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  … and {Classes.Count - maxClasses:N0} more classes ({Classes.Skip(maxClasses).Sum(c => c.Total):N0} images)"));
        if (UnbalancedWarning is { } warning) lines.Add("Warning: " + warning);
        return lines;
    }
}
