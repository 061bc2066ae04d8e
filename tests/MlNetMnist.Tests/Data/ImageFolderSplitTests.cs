using MlNetMnist.Data;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Data;

/// <summary>The held-out test split, the summary printed Keras-style, and the cache, on real folders.</summary>
public sealed class ImageFolderSplitTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ImageFolderBuilder _set;

    public ImageFolderSplitTests() => _set = new ImageFolderBuilder(Path.Combine(_dir.Path, "set"));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void WithoutATestFolder_EachClassIsHeldOutStratified()
    {
        _set.Class("a", 50);
        _set.Class("b", 20, 100);
        _set.Class("c", 7, 200);
        var data = _set.Load(ImageFolderBuilder.NoCache with { TestFraction = 0.2 });
        Assert.Equal([10, 4, 1], data.Test.CountPerClass());
        Assert.Equal([40, 16, 6], data.Train.CountPerClass());
        Assert.Empty(data.Train.Sources!.Intersect(data.Test.Sources!));
        Assert.Contains("20% of each class held out (seed 1)", data.Description.Test.Detail);
    }

    [Fact]
    public void TheHoldOut_IsTheSameForTheSameSeed_AndOtherForAnother()
    {
        _set.Classes(30, null, "a", "b");
        var first = _set.Load().Test.Sources!;
        var again = _set.Load().Test.Sources!;
        var other = _set.Load(ImageFolderBuilder.NoCache with { Seed = 2 }).Test.Sources!;
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(first.Count, other.Count);
    }

    [Fact]
    public void Normalization_IsComputedFromTheTrainingPixels()
    {
        _set.Classes(10, null, "a", "b");
        var data = _set.Load();
        Assert.Equal(PixelNormalization.Compute(data.Train), data.Description.Normalization);
    }

    [Fact]
    public void Summary_ReadsLikeKeras_WithACountPerClass()
    {
        _set.Class("cat", 10);
        _set.Class("dog", 5, 100);
        var summary = DataSetCounts.Of(_set.Load(ImageFolderBuilder.NoCache with { TestFraction = 0.2 }));
        Assert.Equal("Found 15 images in 2 classes (12 train, 3 test)", summary.Headline);
        Assert.Equal([new ClassCount("cat", 8, 2), new ClassCount("dog", 4, 1)], summary.Classes);
        var lines = summary.Lines();
        Assert.Equal(summary.Headline, lines[0]);
        Assert.Contains(lines, l => l.Contains("cat") && l.Contains("10") && l.Contains("(8 train, 2 test)"));
        Assert.Null(summary.UnbalancedWarning);
    }

    [Fact]
    public void Summary_UsesThousandsSeparators()
    {
        var summary = new DataSetCounts
        {
            Name = "digits",
            Shape = new ImageShape(1, 8, 8),
            Classes = [new ClassCount("0", 1_000, 178), new ClassCount("1", 437, 182)],
        };
        Assert.Equal("Found 1,797 images in 2 classes (1,437 train, 360 test)", summary.Headline);
    }

    [Fact]
    public void VeryUnbalancedClasses_AreWarnedAbout()
    {
        _set.Class("common", 40);
        _set.Class("rare", 3, 100);
        var data = _set.Load();
        var warning = DataSetCounts.Of(data).UnbalancedWarning;
        Assert.NotNull(warning);
        Assert.Contains("'common' has 40 images, 'rare' only 3", warning);
        Assert.Contains(data.Notices, n => n.Contains("very unbalanced"));
        Assert.Contains(DataSetCounts.Of(data).Lines(), l => l.StartsWith("Warning: "));
    }

    [Fact]
    public void ASecondLoad_ReadsTheCache_WithoutDecoding()
    {
        _set.Classes(6, null, "a", "b");
        var options = new DataSetOptions { CacheDirectory = Path.Combine(_dir.Path, "cache") };
        var first = new DecodeLog();
        var decoded = _set.Load(options, first);
        Assert.NotEmpty(first);
        Assert.All(first, p => Assert.False(p.FromCache));

        // Make decoding impossible without touching what the cache is keyed by (path, size, mtime):
        // if the second load decoded, it would fail on the garbage.
        var file = decoded.Train.Sources![0];
        var stamp = File.GetLastWriteTimeUtc(file);
        var length = new FileInfo(file).Length;
        File.WriteAllBytes(file, new byte[length]);
        File.SetLastWriteTimeUtc(file, stamp);

        var second = new DecodeLog();
        var cached = _set.Load(options, second);
        Assert.Equal([new DecodeProgress(12, 12, FromCache: true)], second);
        Assert.Equal(decoded.Train.Pixels, cached.Train.Pixels);
        Assert.Equal(decoded.Test.Sources, cached.Test.Sources);
        Assert.Equal(decoded.Description.ClassNames, cached.Description.ClassNames);
        Assert.Equal(decoded.Description.Normalization, cached.Description.Normalization);
        Assert.Equal(decoded.Description.Shape, cached.Description.Shape);
    }

    [Fact]
    public void ChangingAFile_InvalidatesTheCache()
    {
        var paths = _set.Class("a", 4);
        _set.Class("b", 4, 100);
        var options = new DataSetOptions { CacheDirectory = Path.Combine(_dir.Path, "cache") };
        _set.Load(options);

        // New content, same size: the modification time changes.
        ImageFileWriter.Png(paths[0], 28, 28, ImageFolderBuilder.Pattern(999), ImageFileWriter.PngColor.Gray);
        File.SetLastWriteTimeUtc(paths[0], DateTime.UtcNow.AddMinutes(1));
        var progress = new DecodeLog();
        var data = _set.Load(options, progress);
        Assert.DoesNotContain(progress, p => p.FromCache);
        var pixels = data.Train.Sources!.Contains(paths[0])
            ? data.Train.Image(data.Train.Sources!.ToList().IndexOf(paths[0])).ToArray()
            : data.Test.Image(data.Test.Sources!.ToList().IndexOf(paths[0])).ToArray();
        Assert.Equal(ImageFolderBuilder.Pattern(999).Where((_, i) => i % 4 == 0).ToArray(), pixels);

        // Only the modification time changes: also a miss.
        File.SetLastWriteTimeUtc(paths[1], DateTime.UtcNow.AddMinutes(2));
        progress.Clear();
        _set.Load(options, progress);
        Assert.DoesNotContain(progress, p => p.FromCache);

        // A file added: a miss; then a hit again.
        _set.Class("b", 5, 100);
        progress.Clear();
        _set.Load(options, progress);
        Assert.DoesNotContain(progress, p => p.FromCache);
        progress.Clear();
        _set.Load(options, progress);
        Assert.Contains(progress, p => p.FromCache);
    }

    [Fact]
    public void OptionsThatChangePixels_HaveTheirOwnCache()
    {
        _set.Classes(4, null, "a", "b");
        var options = new DataSetOptions { CacheDirectory = Path.Combine(_dir.Path, "cache") };
        _set.Load(options);
        var progress = new DecodeLog();
        var bigger = _set.Load(options with { ImageSize = 32 }, progress);
        Assert.DoesNotContain(progress, p => p.FromCache);
        Assert.Equal(32, bigger.Description.Shape.Width);
        progress.Clear();
        _set.Load(options with { TestFraction = 0.5, Seed = 7 }, progress);
        Assert.Contains(progress, p => p.FromCache); // the split does not change pixels
    }

    [Fact]
    public void SkippedFiles_AreCached_AndStillStopALoadWithoutSkipBadImages()
    {
        _set.Classes(4, null, "a", "b");
        var bad = _set.PathOf("a", "bad.png");
        File.WriteAllText(bad, "not a png");
        var options = new DataSetOptions { CacheDirectory = Path.Combine(_dir.Path, "cache"), SkipBadImages = true };
        Assert.Single(_set.Load(options).SkippedFiles);
        var progress = new DecodeLog();
        var again = _set.Load(options, progress);
        Assert.Contains(progress, p => p.FromCache);
        Assert.StartsWith(bad + ": ", Assert.Single(again.SkippedFiles));
        var e = Assert.Throws<DataSetException>(() => _set.Load(options with { SkipBadImages = false }));
        Assert.Equal(bad, e.FilePath);
    }

    [Fact]
    public void ACorruptCacheFile_IsAMiss_NotAnError()
    {
        _set.Classes(4, null, "a", "b");
        var cache = Path.Combine(_dir.Path, "cache");
        var options = new DataSetOptions { CacheDirectory = cache };
        var first = _set.Load(options);
        foreach (var file in Directory.GetFiles(cache)) File.WriteAllBytes(file, [1, 2, 3]);
        var progress = new DecodeLog();
        var again = _set.Load(options, progress);
        Assert.DoesNotContain(progress, p => p.FromCache);
        Assert.Equal(first.Train.Pixels, again.Train.Pixels);
    }

    [Fact]
    public void ACancelledLoad_Stops()
    {
        _set.Classes(20, null, "a", "b");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ImageFolderDataSet.Load(_set.Root, ImageFolderBuilder.NoCache, null, cancelled.Token));
    }
}
