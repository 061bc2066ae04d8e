namespace MlNetMnist.Data;

/// <summary>
/// The MNIST training and test splits loaded from a directory holding the four IDX files (gzip or
/// raw, standard names), with the outcome of checking them against <see cref="MnistCatalog"/>.
/// </summary>
public sealed class MnistDataSet
{
    private MnistDataSet(string directory, MnistSplit train, MnistSplit test, IReadOnlyDictionary<MnistFileKind, string> sha256, IReadOnlyList<string> notices)
    {
        Directory = directory;
        Train = train;
        Test = test;
        Sha256 = sha256;
        Notices = notices;
    }

    /// <summary>The directory the files were read from.</summary>
    public string Directory { get; }

    /// <summary>The 60,000 training examples (for the real data set).</summary>
    public MnistSplit Train { get; }

    /// <summary>The 10,000 test examples (for the real data set).</summary>
    public MnistSplit Test { get; }

    /// <summary>SHA-256 (lower-case hex) of each file's decompressed bytes.</summary>
    public IReadOnlyDictionary<MnistFileKind, string> Sha256 { get; }

    /// <summary>True when all four files match the catalog's hashes: this is the real MNIST.</summary>
    public bool IsVerified => Notices.Count == 0;

    /// <summary>Why the data set is not verified (one line per file that differs from the catalog); empty when verified.</summary>
    public IReadOnlyList<string> Notices { get; }

    /// <summary>The path of <paramref name="entry"/>'s file in <paramref name="directory"/> (gzip name first, then raw), or null.</summary>
    public static string? FindFile(string directory, MnistCatalogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        foreach (var name in new[] { entry.FileName, entry.RawFileName })
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path) || System.IO.Directory.Exists(path)) return path; // a directory gets its own error when read
        }
        return null;
    }

    /// <summary>True when <paramref name="directory"/> holds a file (gzip or raw) for each of the four catalog entries.</summary>
    public static bool HasAllFiles(string directory)
        => System.IO.Directory.Exists(directory) && MnistCatalog.Files.All(e => FindFile(directory, e) is not null);

    /// <summary>Reads and validates the four files in <paramref name="directory"/>.</summary>
    /// <exception cref="MnistDataException">A file is missing or malformed, images are not 28×28, or counts disagree.</exception>
    public static MnistDataSet Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!System.IO.Directory.Exists(directory))
            throw new MnistDataException(MnistDataError.NotFound, directory,
                "directory not found. Point --data-dir or MNIST_DATA_DIR at a folder holding the four MNIST files.");
        var paths = MnistCatalog.Files.Select(e => FindFile(directory, e) ?? throw new MnistDataException(
            MnistDataError.FileMissing, Path.Combine(directory, e.FileName),
            $"file not found (also looked for {e.RawFileName}). The folder must hold all four MNIST files: {string.Join(", ", MnistCatalog.Files.Select(f => f.FileName))}.")).ToArray();

        var hashes = new string[4];
        IdxImages? trainImages = null, testImages = null;
        byte[]? trainLabels = null, testLabels = null;
        try
        {
            Parallel.Invoke(
                () => trainImages = IdxReader.ReadImages(paths[0], out hashes[0]),
                () => trainLabels = IdxReader.ReadLabels(paths[1], out hashes[1]),
                () => testImages = IdxReader.ReadImages(paths[2], out hashes[2]),
                () => testLabels = IdxReader.ReadLabels(paths[3], out hashes[3]));
        }
        catch (AggregateException e)
        {
            // Report the problem of the first file in catalog order, as a sequential read would.
            var first = e.InnerExceptions.OfType<MnistDataException>().OrderBy(x => Array.IndexOf(paths, x.FilePath)).FirstOrDefault();
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first ?? e.InnerExceptions[0]).Throw();
        }

        var train = MakeSplit("train", trainImages!, paths[0], trainLabels!, paths[1]);
        var test = MakeSplit("test", testImages!, paths[2], testLabels!, paths[3]);

        var notices = new List<string>();
        var sha = new Dictionary<MnistFileKind, string>();
        foreach (var entry in MnistCatalog.Files)
        {
            int i = (int)entry.Kind;
            sha[entry.Kind] = hashes[i];
            if (hashes[i] != entry.Sha256)
                notices.Add($"{paths[i]}: SHA-256 {hashes[i][..12]}… differs from MNIST's {entry.Sha256[..12]}…; using it as an unverified data set.");
        }
        return new MnistDataSet(Path.GetFullPath(directory), train, test, sha, notices);
    }

    private static MnistSplit MakeSplit(string name, IdxImages images, string imagesPath, byte[] labels, string labelsPath)
    {
        if (images.Rows != MnistCatalog.ImageSize || images.Columns != MnistCatalog.ImageSize)
            throw new MnistDataException(MnistDataError.BadDimensions, imagesPath,
                $"images are {images.Rows}×{images.Columns}, but MNIST models expect 28×28.");
        if (images.Count != labels.Length)
            throw new MnistDataException(MnistDataError.CountMismatch, imagesPath,
                $"holds {images.Count:N0} images but {labelsPath} holds {labels.Length:N0} labels; the two files of the {name} split must agree.");
        return new MnistSplit(name, images, labels);
    }
}
