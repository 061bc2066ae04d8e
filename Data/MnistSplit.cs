namespace MlNetMnist.Data;

/// <summary>
/// One split of MNIST (training or test): 28×28 images and their labels, held once as bytes.
/// Use <see cref="MnistDataView"/> to see it as an ML.NET <c>IDataView</c>.
/// </summary>
public sealed class MnistSplit
{
    /// <summary>Pairs <paramref name="images"/> with <paramref name="labels"/>; neither is copied.</summary>
    /// <exception cref="ArgumentException">The images are not 28×28, the counts differ, or a label is above 9.</exception>
    public MnistSplit(string name, IdxImages images, byte[] labels)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.Rows != MnistCatalog.ImageSize || images.Columns != MnistCatalog.ImageSize)
            throw new ArgumentException($"MNIST images are 28×28; these are {images.Rows}×{images.Columns}.", nameof(images));
        if (images.Count != labels.Length)
            throw new ArgumentException($"{images.Count} images but {labels.Length} labels.", nameof(labels));
        int bad = Array.FindIndex(labels, l => l >= MnistCatalog.ClassCount);
        if (bad >= 0)
            throw new ArgumentException($"label {labels[bad]} at index {bad} is outside 0–9.", nameof(labels));
        Name = name;
        Images = images;
        Labels = labels;
    }

    /// <summary>"train" or "test" (or a name given to a slice).</summary>
    public string Name { get; }

    /// <summary>The images.</summary>
    public IdxImages Images { get; }

    /// <summary>The labels, 0–9, one per image.</summary>
    public byte[] Labels { get; }

    /// <summary>Number of examples.</summary>
    public int Count => Labels.Length;

    /// <summary>Examples <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> − 1, copied.</summary>
    public MnistSplit Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + (long)count, Count);
        var pixels = Images.Pixels.AsSpan(start * MnistCatalog.PixelCount, count * MnistCatalog.PixelCount).ToArray();
        var labels = Labels.AsSpan(start, count).ToArray();
        return new MnistSplit(Name, new IdxImages(count, MnistCatalog.ImageSize, MnistCatalog.ImageSize, pixels), labels);
    }
}
