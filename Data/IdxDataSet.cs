using System.Text.RegularExpressions;

namespace MlNetMnist.Data;

/// <summary>
/// Loads a data set stored as IDX files (MNIST's format): a folder holding an image file and a
/// label file per split, named as MNIST's (<c>train-images-idx3-ubyte.gz</c>, <c>t10k-labels-idx1-ubyte</c>, …)
/// or as any <c>*-images-idx3-ubyte[.gz]</c> / <c>*-labels-idx1-ubyte[.gz]</c> pair whose name says
/// <c>train</c> or <c>test</c>/<c>t10k</c>. Class names come from an optional <c>classes.txt</c>
/// (one per line, in label order), else the label numbers. The real MNIST is recognized by the
/// SHA-256 of its four files and named "MNIST"; any other set is named after its folder.
/// </summary>
public static partial class IdxDataSet
{
    /// <summary>The optional file naming the classes, one per line in label order.</summary>
    public const string ClassNamesFile = "classes.txt";

    [GeneratedRegex(@"^(?<prefix>.+)-(?<kind>images-idx3|labels-idx1)-ubyte(\.gz)?$", RegexOptions.IgnoreCase)]
    private static partial Regex IdxFileName();

    /// <summary>True when <paramref name="directory"/> holds at least one IDX image or label file.</summary>
    public static bool LooksLikeIdx(string directory)
        => Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any(f => IdxFileName().IsMatch(Path.GetFileName(f)));

    /// <summary>Reads and validates the IDX files in <paramref name="directory"/>.</summary>
    /// <exception cref="DataSetException">A file is missing or malformed, the splits disagree, or the images or classes are outside what is supported.</exception>
    public static ImageDataSet Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
            throw new DataSetException(DataSetError.NotFound, directory,
                "directory not found. Point --data-dir or MNIST_DATA_DIR at a folder holding a data set.");
        directory = Path.GetFullPath(directory);
        var paths = FindFiles(directory);

        var hashes = new string[4];
        IdxImages? trainImages = null, testImages = null;
        int[]? trainLabels = null, testLabels = null;
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
            var first = e.InnerExceptions.OfType<DataSetException>().OrderBy(x => Array.IndexOf(paths, x.FilePath)).FirstOrDefault();
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first ?? e.InnerExceptions[0]).Throw();
        }

        CheckSplit("train", trainImages!, paths[0], trainLabels!, paths[1]);
        CheckSplit("test", testImages!, paths[2], testLabels!, paths[3]);
        if (trainImages!.Rows != testImages!.Rows || trainImages.Columns != testImages.Columns)
            throw new DataSetException(DataSetError.BadDimensions, paths[2],
                $"test images are {testImages.Rows}×{testImages.Columns}, but the training images ({paths[0]}) are {trainImages.Rows}×{trainImages.Columns}; both splits must have one size.");
        var shape = new ImageShape(1, trainImages.Rows, trainImages.Columns);

        bool isMnist = MnistCatalog.Files.All(e => hashes[(int)e.Kind] == e.Sha256);
        var classNames = isMnist ? MnistCatalog.ClassNames : ReadClassNames(directory, paths, trainLabels!, testLabels!);
        var train = new ImageSplit("train", shape, trainImages.Pixels, trainLabels!, classNames.Count);
        var test = new ImageSplit("test", shape, testImages.Pixels, testLabels!, classNames.Count);

        var notices = new List<string>();
        bool mnistNames = MnistCatalog.Files.All(e => Path.GetFileName(paths[(int)e.Kind]).StartsWith(e.RawFileName, StringComparison.Ordinal));
        string name = isMnist ? MnistCatalog.DataSetName : Path.GetFileName(directory);
        if (!isMnist && mnistNames)
            notices.Add($"{directory}: the files carry MNIST's names but not its content (their SHA-256 differ from MNIST's), so this is the data set '{name}', named after its folder.");

        var description = new DataSetDescription
        {
            Name = name,
            Format = DataSetFormat.Idx,
            Shape = shape,
            ClassNames = classNames,
            Normalization = PixelNormalization.Compute(train),
            Train = new SplitOrigin(paths[0], train.Count, $"labels {Path.GetFileName(paths[1])}; SHA-256 {hashes[0][..12]}… / {hashes[1][..12]}…"),
            Test = new SplitOrigin(paths[2], test.Count, $"labels {Path.GetFileName(paths[3])}; SHA-256 {hashes[2][..12]}… / {hashes[3][..12]}…"),
            IsVerifiedMnist = isMnist,
        };
        return new ImageDataSet(directory, description, train, test, notices);
    }

    /// <summary>
    /// Reads only the test split of the IDX files in <paramref name="directory"/> (the training files
    /// need not be there), with <paramref name="classCount"/> classes, for looking at test images.
    /// </summary>
    /// <exception cref="DataSetException">The test files are missing or malformed, or a label is not below <paramref name="classCount"/>.</exception>
    public static ImageSplit LoadTestSplit(string directory, int classCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
            throw new DataSetException(DataSetError.NotFound, directory, "directory not found.");
        var paths = FindFiles(Path.GetFullPath(directory), testOnly: true);
        var images = IdxReader.ReadImages(paths[2]);
        var labels = IdxReader.ReadLabels(paths[3], classCount);
        CheckSplit("test", images, paths[2], labels, paths[3]);
        return new ImageSplit("test", new ImageShape(1, images.Rows, images.Columns), images.Pixels, labels, classCount);
    }

    /// <summary>The four files in the order train images, train labels, test images, test labels (the first two null when <paramref name="testOnly"/>).</summary>
    private static string[] FindFiles(string directory, bool testOnly = false)
    {
        if (MnistCatalog.Files.All(e => MnistCatalog.FindFile(directory, e) is not null))
            return MnistCatalog.Files.Select(e => MnistCatalog.FindFile(directory, e)!).ToArray();
        if (testOnly && MnistCatalog.Files.Skip(2).All(e => MnistCatalog.FindFile(directory, e) is not null))
            return [null!, null!, .. MnistCatalog.Files.Skip(2).Select(e => MnistCatalog.FindFile(directory, e)!)];

        var found = new Dictionary<(string Split, string Kind), string>();
        foreach (var path in Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal))
        {
            var match = IdxFileName().Match(Path.GetFileName(path));
            if (!match.Success) continue;
            var prefix = match.Groups["prefix"].Value.ToLowerInvariant();
            string? split = prefix.Contains("train") ? "train" : prefix.Contains("test") || prefix.Contains("t10k") ? "test" : null;
            if (split is null) continue;
            var kind = match.Groups["kind"].Value.StartsWith("images", StringComparison.OrdinalIgnoreCase) ? "images" : "labels";
            if (found.TryGetValue((split, kind), out var other))
            {
                // The same file gzip-compressed and unpacked is one file, not two.
                if (StripGz(other) == StripGz(path)) continue;
                throw new DataSetException(DataSetError.BadLayout, directory,
                    $"holds two {split} {kind} files ({Path.GetFileName(other)} and {Path.GetFileName(path)}); keep one per split.");
            }
            found[(split, kind)] = path;
        }
        var order = new[] { ("train", "images"), ("train", "labels"), ("test", "images"), ("test", "labels") };
        var missing = order.Skip(testOnly ? 2 : 0).Where(k => !found.ContainsKey(k)).Select(k => $"{k.Item1} {k.Item2}").ToList();
        if (missing.Count > 0)
            throw new DataSetException(DataSetError.FileMissing, directory,
                $"lacks the {string.Join(", ", missing)} file{(missing.Count > 1 ? "s" : "")}. An IDX data set needs four files: " +
                "*train*-images-idx3-ubyte[.gz], *train*-labels-idx1-ubyte[.gz], and the same with test (or t10k); MNIST's are " +
                string.Join(", ", MnistCatalog.Files.Select(f => f.FileName)) + ".");
        return order.Select(k => found.GetValueOrDefault(k)!).ToArray();
    }

    private static string StripGz(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;

    private static void CheckSplit(string name, IdxImages images, string imagesPath, int[] labels, string labelsPath)
    {
        if (images.Count != labels.Length)
            throw new DataSetException(DataSetError.CountMismatch, imagesPath,
                $"holds {images.Count:N0} images but {labelsPath} holds {labels.Length:N0} labels; the two files of the {name} split must agree.");
        if (images.Count == 0)
            throw new DataSetException(DataSetError.TooFewImages, imagesPath, $"holds no images; the {name} split needs at least one.");
        if (new ImageShape(1, images.Rows, images.Columns).Problem() is { } problem)
            throw new DataSetException(DataSetError.BadDimensions, imagesPath, $"{problem}.");
    }

    private static IReadOnlyList<string> ReadClassNames(string directory, string[] paths, int[] trainLabels, int[] testLabels)
    {
        int maxLabel = Math.Max(trainLabels.Max(), testLabels.Max());
        var file = Path.Combine(directory, ClassNamesFile);
        if (!File.Exists(file))
        {
            if (maxLabel + 1 > DataSetDescription.MaxClasses)
                throw new DataSetException(DataSetError.LabelOutOfRange, paths[1], $"labels go up to {maxLabel}; at most {DataSetDescription.MaxClasses} classes are supported.");
            if (maxLabel < 1)
                throw new DataSetException(DataSetError.TooFewImages, paths[1], "every label is 0: a classifier needs at least two classes.");
            var seen = new bool[maxLabel + 1];
            foreach (var label in trainLabels) seen[label] = true;
            var absent = Enumerable.Range(0, maxLabel + 1).Where(c => !seen[c]).ToList();
            if (absent.Count > 0)
            {
                var (labelFile, labels) = Array.IndexOf(trainLabels, maxLabel) >= 0 ? (paths[1], trainLabels) : (paths[3], testLabels);
                throw new DataSetException(DataSetError.LabelOutOfRange, labelFile,
                    $"label {maxLabel} at index {Array.IndexOf(labels, maxLabel)} makes {maxLabel + 1} classes, but no training image has label {string.Join(", ", absent.Take(5))}{(absent.Count > 5 ? ", …" : "")}: " +
                    $"the file may be corrupt. If the data set really has {maxLabel + 1} classes, name them in {ClassNamesFile}, one per line.");
            }
            return Enumerable.Range(0, maxLabel + 1).Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }
        string[] lines;
        try
        {
            lines = File.ReadAllLines(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSetException(DataSetError.Unreadable, file, $"cannot be read: {e.Message}", e);
        }
        int count = lines.Length;
        while (count > 0 && string.IsNullOrWhiteSpace(lines[count - 1])) count--; // a final newline or blank lines at the end
        var names = lines.Take(count).Select(l => l.Trim()).ToArray();
        int blank = Array.FindIndex(names, string.IsNullOrEmpty);
        if (blank >= 0)
            throw new DataSetException(DataSetError.BadClassNames, file, $"line {blank + 1} is empty; write one class name per line, in label order.");
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new DataSetException(DataSetError.BadClassNames, file, $"names the class '{duplicate.Key}' twice; every class needs its own name.");
        if (names.Length > DataSetDescription.MaxClasses)
            throw new DataSetException(DataSetError.BadClassNames, file, $"names {names.Length} classes; at most {DataSetDescription.MaxClasses} are supported.");
        if (names.Length <= maxLabel)
            throw new DataSetException(DataSetError.LabelOutOfRange, file,
                $"names {names.Length} class{(names.Length == 1 ? "" : "es")} (labels 0–{names.Length - 1}), but the label files use label {maxLabel}; write one name per label, in label order.");
        if (names.Length != maxLabel + 1)
            throw new DataSetException(DataSetError.BadClassNames, file,
                $"has {names.Length} class names, but the labels run only from 0 to {maxLabel} ({maxLabel + 1} classes); write one name per label, in label order.");
        if (names.Length < 2)
            throw new DataSetException(DataSetError.TooFewImages, file, "names one class: a classifier needs at least two.");
        return names;
    }
}
