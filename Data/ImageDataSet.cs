namespace MlNetMnist.Data;

/// <summary>A loaded data set: its <see cref="Description"/>, its training and test splits, and what loading noticed.</summary>
public sealed class ImageDataSet
{
    /// <summary>Bundles a description with its splits.</summary>
    /// <exception cref="ArgumentException">The splits do not have the description's shape or class count.</exception>
    public ImageDataSet(string directory, DataSetDescription description, ImageSplit train, ImageSplit test, IReadOnlyList<string>? notices = null, IReadOnlyList<string>? skippedFiles = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        foreach (var split in new[] { train, test })
        {
            if (split.Shape != description.Shape)
                throw new ArgumentException($"The {split.Name} images are {split.Shape}, but the data set's are {description.Shape}.");
            if (split.ClassCount != description.ClassCount)
                throw new ArgumentException($"The {split.Name} split has {split.ClassCount} classes, but the data set has {description.ClassCount}.");
        }
        Directory = directory;
        Description = description;
        Train = train;
        Test = test;
        Notices = notices ?? [];
        SkippedFiles = skippedFiles ?? [];
    }

    /// <summary>What the data set is.</summary>
    public DataSetDescription Description { get; }

    /// <summary>The training examples (the validation hold-out is taken from them).</summary>
    public ImageSplit Train { get; }

    /// <summary>The test examples; never used to choose anything.</summary>
    public ImageSplit Test { get; }

    /// <summary>Things the user should know (for example that files are not the real MNIST); one line each.</summary>
    public IReadOnlyList<string> Notices { get; }

    /// <summary>Files left out because they could not be decoded (only with <c>--skip-bad-images</c>), each with the reason.</summary>
    public IReadOnlyList<string> SkippedFiles { get; }

    /// <summary>The directory the data set was read from.</summary>
    public string Directory { get; }
}
