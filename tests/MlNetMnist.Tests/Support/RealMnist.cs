using MlNetMnist.Data;

namespace MlNetMnist.Tests.Support;

/// <summary>
/// The real MNIST files, from <c>MNIST_DATA_DIR</c> or the <c>shared/mnist</c> folder beside the
/// repository. Tests that need them fail (never skip) when they are absent.
/// </summary>
public static class RealMnist
{
    private static readonly Lazy<string> LazyDirectory = new(FindDirectory);
    private static readonly Lazy<ImageDataSet> LazyDataSet = new(() => IdxDataSet.Load(Directory));

    /// <summary>The directory holding the four real files.</summary>
    public static string Directory => LazyDirectory.Value;

    /// <summary>The full data set, loaded once per test run.</summary>
    public static ImageDataSet DataSet => LazyDataSet.Value;

    /// <summary>The path of one real catalog file.</summary>
    public static string File(MnistFileKind kind) => Path.Combine(Directory, MnistCatalog.Entry(kind).FileName);

    private static string FindDirectory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(MnistDataLocator.EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment) && MnistCatalog.HasAllFiles(fromEnvironment))
            return fromEnvironment;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "mnist");
            if (MnistCatalog.HasAllFiles(candidate)) return candidate;
        }
        throw new InvalidOperationException(
            $"The real MNIST files were not found: set {MnistDataLocator.EnvironmentVariable} or place them in ../shared/mnist beside the repository.");
    }
}
