using System.Xml.Linq;

namespace MlNetMnist.Tests.Support;

/// <summary>
/// The solution's packages, packed once per test run as a user packs them: <c>dotnet pack</c> of
/// MlNetMnist.Data, MlNetMnist.Pipelines and the mnist tool (which makes the pointer package and one
/// package per platform) into a temporary folder, building in a temporary artifacts folder so that
/// nothing of the repository's own bin and obj is used or changed.
/// </summary>
/// <remarks>
/// The pack plays a machine whose libstdc++ is GCC 13's (it points TorchSharpNativeFixSystemLibStdCxx
/// at a file that has GLIBCXX_3.4.32): the linux-x64 tool package must carry the patched
/// libLibTorchSharp.so all the same, and the platform-neutral build output must then be left unpatched.
/// </remarks>
public static class PackedPackages
{
    public const string ToolId = "MlNetMnist.Cli";
    public static readonly string[] ToolRuntimeIdentifiers = ["linux-x64", "win-x64", "osx-arm64"];

    private static readonly Lazy<string> LazyRoot = new(Pack);

    /// <summary>The version all packages take: the one <c>Version</c> of Directory.Build.props.</summary>
    public static string Version => XDocument.Load(Path.Combine(Repository.Root, "Directory.Build.props")).Descendants("Version").Single().Value;

    /// <summary>The folder holding the packages (a local NuGet feed).</summary>
    public static string Folder => Path.Combine(LazyRoot.Value, "packages");

    /// <summary>libLibTorchSharp.so of the pack's platform-neutral build output (bin/…/release), kept when the rest of the build is deleted.</summary>
    public static string NeutralBuildLibTorchSharp => Path.Combine(LazyRoot.Value, "neutral-build-libLibTorchSharp.so");

    /// <summary>The path of the package <paramref name="id"/> (<c>.nupkg</c>, or <c>.snupkg</c> for its symbols).</summary>
    public static string File(string id, string extension = ".nupkg") => Path.Combine(Folder, $"{id}.{Version}{extension}");

    /// <summary>The package of the mnist tool for <paramref name="runtimeIdentifier"/>.</summary>
    public static string ToolPackage(string runtimeIdentifier) => File($"{ToolId}.{runtimeIdentifier}");

    private static string Pack()
    {
        // One folder per clone, emptied first: what a run could not delete at its end is gone at the next.
        var clone = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Repository.Root)))[..12];
        var root = Path.Combine(Path.GetTempPath(), "mlnetmnist-tests", "packages-" + clone.ToLowerInvariant());
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        Directory.CreateDirectory(root);
        var newerLibStdCxx = Path.Combine(root, "libstdc++-gcc13.so.6");
        System.IO.File.WriteAllBytes(newerLibStdCxx, "\0GLIBCXX_3.4.31\0GLIBCXX_3.4.32\0"u8.ToArray());
        foreach (var project in new[] { "Data/MlNetMnist.Data.csproj", "Pipelines/MlNetMnist.Pipelines.csproj", "Tools/MlNetMnist.Cli/MlNetMnist.Cli.csproj" })
        {
            var (exitCode, log) = ChildProcess.Run(ChildProcess.DotnetHost,
                ["pack", Path.Combine(Repository.Root, project), "-c", "Release", "-o", Path.Combine(root, "packages"),
                 "--artifacts-path", Path.Combine(root, "artifacts"), $"-p:TorchSharpNativeFixSystemLibStdCxx={newerLibStdCxx}",
                 "-nodeReuse:false", "--disable-build-servers", "-v:m", "--nologo"],
                TimeSpan.FromMinutes(20));
            if (exitCode != 0) throw new InvalidOperationException($"dotnet pack {project} failed:\n{log}");
        }
        // The build (several GB: libtorch in every output) is not needed after the pack; the packages go when the test run ends.
        var artifacts = Path.Combine(root, "artifacts");
        var neutral = Directory.GetFiles(Path.Combine(artifacts, "bin", "MlNetMnist.Cli"), "libLibTorchSharp.so", SearchOption.AllDirectories)
            .Single(f => f.Contains($"{Path.DirectorySeparatorChar}release{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        System.IO.File.Copy(neutral, Path.Combine(root, "neutral-build-libLibTorchSharp.so"));
        Directory.Delete(artifacts, recursive: true);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(root, recursive: true); }
            catch (IOException) { }
        };
        return root;
    }
}
