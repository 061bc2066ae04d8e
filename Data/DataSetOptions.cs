namespace MlNetMnist.Data;

/// <summary>How a data set is loaded from image folders; IDX files ignore these (their images have one size and one channel).</summary>
public sealed record DataSetOptions
{
    /// <summary>The side images are resized to (square), <see cref="ImageShape.MinSide"/> to <see cref="ImageShape.MaxSide"/>.</summary>
    public int ImageSize { get; init; } = 28;

    /// <summary>Grayscale, RGB, or decided by the images (gray when every image is grayscale).</summary>
    public ColorMode Color { get; init; } = ColorMode.Auto;

    /// <summary>The share of each class held out as the test split when there is no <c>test/</c> folder (0–1, exclusive).</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Seed of the held-out test split's choice.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Leave out files that cannot be decoded (listed in <see cref="ImageDataSet.SkippedFiles"/>) instead of stopping.</summary>
    public bool SkipBadImages { get; init; }

    /// <summary>Where decoded images are cached between runs; null for the per-user cache, empty to turn caching off.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Throws <see cref="DataSetException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (ImageSize is < ImageShape.MinSide or > ImageShape.MaxSide)
            throw new DataSetException(DataSetError.BadOption, "--image-size",
                $"{ImageSize} is outside {ImageShape.MinSide}–{ImageShape.MaxSide}; choose a side length in pixels in that range.");
        if (!(TestFraction > 0 && TestFraction < 1))
            throw new DataSetException(DataSetError.BadOption, "--test-fraction",
                $"{TestFraction} is not between 0 and 1 (exclusive); for example 0.2 holds out 20% of each class.");
    }
}

/// <summary>The color mode images are converted to.</summary>
public enum ColorMode
{
    /// <summary>Grayscale when every image is grayscale, else RGB.</summary>
    Auto,

    /// <summary>One channel.</summary>
    Gray,

    /// <summary>Three channels: red, green, blue.</summary>
    Rgb,
}
