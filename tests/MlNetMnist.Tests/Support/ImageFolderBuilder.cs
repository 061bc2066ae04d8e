using MlNetMnist.Data;

namespace MlNetMnist.Tests.Support;

/// <summary>
/// Lays out small image-folder data sets of real files in a <see cref="TempDirectory"/>: class folders
/// of distinct, non-constant images (so pixel statistics exist), under the root or under a split folder.
/// </summary>
public sealed class ImageFolderBuilder(string root)
{
    /// <summary>The data set's folder.</summary>
    public string Root { get; } = root;

    /// <summary>Options that decode without the cache (tests that want it set a folder).</summary>
    public static DataSetOptions NoCache { get; } = new() { CacheDirectory = "" };

    /// <summary>The path of <paramref name="parts"/> below the root (folders created).</summary>
    public string PathOf(params string[] parts)
    {
        var path = Path.Combine([Root, .. parts]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>A 28×28 gray gradient that differs per <paramref name="seed"/>, as RGBA.</summary>
    public static byte[] Pattern(int seed, int side = 28) => ImageFileWriter.Rgba(side, side, (x, y) =>
    {
        byte v = (byte)((x * 7 + y * 3 + seed * 37) % 256);
        return (v, v, v, 255);
    });

    /// <summary>A colored pattern (red and green differ), as RGBA.</summary>
    public static byte[] ColorPattern(int seed, int side = 28) => ImageFileWriter.Rgba(side, side, (x, y) =>
        ((byte)((x * 9 + seed) % 256), (byte)((y * 9 + 2 * seed) % 256), (byte)((x + y + seed) % 256), 255));

    /// <summary>Writes <paramref name="count"/> gray PNGs into the class folder <paramref name="classPath"/> (relative, for example "train/cat"); returns their paths.</summary>
    public IReadOnlyList<string> Class(string classPath, int count, int firstSeed = 0, string extension = ".png")
    {
        var paths = new List<string>();
        for (int i = 0; i < count; i++)
        {
            var path = PathOf(classPath, $"{i:D4}{extension}");
            ImageFileWriter.Png(path, 28, 28, Pattern(firstSeed + i), ImageFileWriter.PngColor.Gray);
            paths.Add(path);
        }
        return paths;
    }

    /// <summary>Writes classes <paramref name="names"/> with <paramref name="count"/> images each under <paramref name="prefix"/> (null: the root).</summary>
    public ImageFolderBuilder Classes(int count, string? prefix, params string[] names)
    {
        for (int c = 0; c < names.Length; c++) Class(prefix is null ? names[c] : Path.Combine(prefix, names[c]), count, c * 100);
        return this;
    }

    /// <summary>
    /// Asserts that loading fails with <paramref name="error"/> on <paramref name="path"/>: the message
    /// starts with the path and holds every one of <paramref name="phrases"/>.
    /// </summary>
    public DataSetException LoadFails(DataSetOptions? options, string path, DataSetError error, params string[] phrases)
    {
        var e = Assert.Throws<DataSetException>(() => Load(options));
        Assert.Equal(error, e.Error);
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(path + ": ", e.Message);
        foreach (var phrase in phrases) Assert.Contains(phrase, e.Message);
        return e;
    }

    /// <summary>Loads the data set with <paramref name="options"/> (default: no cache).</summary>
    public ImageDataSet Load(DataSetOptions? options = null, IProgress<DecodeProgress>? progress = null)
        => ImageFolderDataSet.Load(Root, options ?? NoCache, progress);
}

/// <summary>Records decoding progress, reported from any thread, in arrival order.</summary>
public sealed class DecodeLog : IProgress<DecodeProgress>, IEnumerable<DecodeProgress>
{
    private readonly List<DecodeProgress> _reports = [];

    public void Report(DecodeProgress value)
    {
        lock (_reports) _reports.Add(value);
    }

    public void Clear()
    {
        lock (_reports) _reports.Clear();
    }

    public IEnumerator<DecodeProgress> GetEnumerator()
    {
        lock (_reports) return _reports.ToList().GetEnumerator();
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
