namespace MlNetMnist.Data;

/// <summary>
/// One split of a data set (training or test): images of one <see cref="ImageShape"/> and their
/// class indices, held once as bytes (C·H·W per image, 0–255). Use <see cref="ImageSplitDataView"/>
/// to see it as an ML.NET <c>IDataView</c>.
/// </summary>
public sealed class ImageSplit
{
    /// <summary>Pairs <paramref name="pixels"/> with <paramref name="labels"/>; neither is copied.</summary>
    /// <param name="name">"train" or "test" (or a name given to a slice).</param>
    /// <param name="shape">The shape of every image.</param>
    /// <param name="pixels">All pixels, image after image, each in C·H·W order.</param>
    /// <param name="labels">Class indices, one per image, each below <paramref name="classCount"/>.</param>
    /// <param name="classCount">The number of classes of the data set.</param>
    /// <param name="sources">Where each image came from (a file path), or null when the images came from one file.</param>
    /// <exception cref="ArgumentException">The pixel count is not one image of <paramref name="shape"/> per label, or a label is out of range.</exception>
    public ImageSplit(string name, ImageShape shape, byte[] pixels, int[] labels, int classCount, IReadOnlyList<string>? sources = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shape.PixelCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        if ((long)labels.Length * shape.PixelCount != pixels.Length)
            throw new ArgumentException($"{pixels.Length} pixels is not {labels.Length} images of {shape}.", nameof(pixels));
        int bad = Array.FindIndex(labels, l => l < 0 || l >= classCount);
        if (bad >= 0)
            throw new ArgumentException($"label {labels[bad]} at index {bad} is outside 0–{classCount - 1}.", nameof(labels));
        if (sources is not null && sources.Count != labels.Length)
            throw new ArgumentException($"{sources.Count} sources for {labels.Length} images.", nameof(sources));
        Name = name;
        Shape = shape;
        Pixels = pixels;
        Labels = labels;
        ClassCount = classCount;
        Sources = sources;
    }

    /// <summary>"train" or "test" (or a name given to a slice).</summary>
    public string Name { get; }

    /// <summary>The shape of every image.</summary>
    public ImageShape Shape { get; }

    /// <summary>All pixels, image after image, each in C·H·W order, 0–255.</summary>
    public byte[] Pixels { get; }

    /// <summary>The class index of each image.</summary>
    public int[] Labels { get; }

    /// <summary>The number of classes of the data set (labels are below it).</summary>
    public int ClassCount { get; }

    /// <summary>The file each image was decoded from (image folders), or null (IDX files).</summary>
    public IReadOnlyList<string>? Sources { get; }

    /// <summary>Number of examples.</summary>
    public int Count => Labels.Length;

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Pixels.AsSpan(index * Shape.PixelCount, Shape.PixelCount);
    }

    /// <summary>Examples <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> − 1, copied.</summary>
    public ImageSplit Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + (long)count, Count);
        var pixels = Pixels.AsSpan(start * Shape.PixelCount, count * Shape.PixelCount).ToArray();
        var labels = Labels.AsSpan(start, count).ToArray();
        return new ImageSplit(Name, Shape, pixels, labels, ClassCount, Sources?.Skip(start).Take(count).ToArray());
    }

    /// <summary>The examples at <paramref name="indices"/>, in that order, copied.</summary>
    public ImageSplit Select(string name, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        int size = Shape.PixelCount;
        var pixels = new byte[indices.Count * size];
        var labels = new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            Image(indices[i]).CopyTo(pixels.AsSpan(i * size, size));
            labels[i] = Labels[indices[i]];
        }
        return new ImageSplit(name, Shape, pixels, labels, ClassCount, Sources is null ? null : indices.Select(i => Sources[i]).ToArray());
    }

    /// <summary>How many images each class has, indexed by class.</summary>
    public int[] CountPerClass()
    {
        var counts = new int[ClassCount];
        foreach (var label in Labels) counts[label]++;
        return counts;
    }
}
