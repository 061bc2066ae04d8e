namespace MlNetMnist.Tests.Support;

/// <summary>Where the repository and the build outputs of its projects are, seen from the running tests.</summary>
public static class Repository
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The folder holding MlNetMnist.sln.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The build configuration of the running tests (tests/MlNetMnist.Tests/bin/&lt;Configuration&gt;/net10.0).</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    /// <summary>The output folder of the project in <paramref name="projectFolder"/> (relative to the root), built like the tests.</summary>
    public static string Output(string projectFolder) => Path.Combine(Root, projectFolder, "bin", Configuration, "net10.0");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MlNetMnist.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("MlNetMnist.sln not found above " + AppContext.BaseDirectory);
    }
}
