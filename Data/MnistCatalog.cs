namespace MlNetMnist.Data;

/// <summary>
/// The MNIST database of handwritten digits (LeCun, Cortes, Burges): its files, their SHA-256
/// hashes (of the decompressed bytes; gzip bytes differ from mirror to mirror) and the public
/// HTTPS mirrors it is downloaded from.
/// </summary>
public static class MnistCatalog
{
    /// <summary>Name of the data set, as recorded in model metadata.</summary>
    public const string DataSetName = "MNIST";

    /// <summary>The shape of an MNIST image: one channel of 28 × 28 pixels.</summary>
    public static ImageShape Shape { get; } = new(1, 28, 28);

    /// <summary>
    /// The pixel normalization of MNIST: the mean and standard deviation of its 60,000 training
    /// images (0.1307, 0.3081 on the 0–1 scale), as <see cref="PixelNormalization.Compute"/> finds them.
    /// </summary>
    public static PixelNormalization Normalization { get; } = new([0.1307], [0.3081]);

    /// <summary>The classes, the digits "0" to "9" in order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The four files, in the order train images, train labels, test images, test labels.</summary>
    public static IReadOnlyList<MnistCatalogEntry> Files { get; } =
    [
        new(MnistFileKind.TrainImages, "train-images-idx3-ubyte.gz",
            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", 47_040_016, 60_000),
        new(MnistFileKind.TrainLabels, "train-labels-idx1-ubyte.gz",
            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", 60_008, 60_000),
        new(MnistFileKind.TestImages, "t10k-images-idx3-ubyte.gz",
            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", 7_840_016, 10_000),
        new(MnistFileKind.TestLabels, "t10k-labels-idx1-ubyte.gz",
            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", 10_008, 10_000),
    ];

    /// <summary>Public mirrors, tried in this order. Each serves the four <see cref="MnistCatalogEntry.FileName"/>s.</summary>
    public static IReadOnlyList<Uri> Mirrors { get; } =
    [
        new("https://ossci-datasets.s3.amazonaws.com/mnist/"),
        new("https://yann.lecun.com/exdb/mnist/"),
    ];

    /// <summary>The catalog entry of <paramref name="kind"/>.</summary>
    public static MnistCatalogEntry Entry(MnistFileKind kind) => Files[(int)kind];

    /// <summary>The path of <paramref name="entry"/>'s file in <paramref name="directory"/> (gzip name first, then raw), or null.</summary>
    public static string? FindFile(string directory, MnistCatalogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        foreach (var name in new[] { entry.FileName, entry.RawFileName })
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path) || Directory.Exists(path)) return path; // a directory gets its own error when read
        }
        return null;
    }

    /// <summary>True when <paramref name="directory"/> holds a file (gzip or raw) for each of the four catalog entries.</summary>
    public static bool HasAllFiles(string directory)
        => Directory.Exists(directory) && Files.All(e => FindFile(directory, e) is not null);
}
