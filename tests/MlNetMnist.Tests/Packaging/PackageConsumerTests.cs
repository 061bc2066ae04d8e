using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using MlNetMnist.Pipelines;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Packaging;

/// <summary>
/// A consumer of the library packages, as a user makes one: <c>dotnet new console</c> in a fresh
/// folder outside the repository, <c>dotnet add package</c> from the folder the packages were packed
/// into, and the package README's example as Program.cs, built and run on the real MNIST files.
/// </summary>
public sealed class PackageConsumerTests
{
    private static readonly Regex PredictionLine = new(@"^test image (?<index>\d+): (?<label>\S+) \(probability (?<p>[0-9.]+)\), labelled (?<true>\d+)$");

    [Fact]
    [Trait("Category", "Slow")]
    public void AFreshAppReferencingThePipelinesPackagePredictsRealTestImagesWithItsReadmeExample()
    {
        using var dir = new TempDirectory();
        var modelZip = dir.File("model.zip");
        using (var built = MnistModel.FromOnnx(TrainedModel.OnnxPath)) built.Save(modelZip);
        var indices = Enumerable.Range(0, 20).ToArray();

        var app = CreateApp(dir, "MlNetMnist.Pipelines");
        var (exitCode, output) = ChildProcess.Run(ChildProcess.DotnetHost, [app, modelZip, RealMnist.Directory, .. indices.Select(i => i.ToString(CultureInfo.InvariantCulture))],
            TimeSpan.FromMinutes(3), Invariant);
        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{output}");

        var lines = output.Split('\n').Select(l => PredictionLine.Match(l.TrimEnd('\r'))).Where(m => m.Success).ToList();
        Assert.True(lines.Count == indices.Length, output);
        using var model = MnistModel.Load(modelZip);
        using var pool = model.CreatePool();
        var test = RealMnist.DataSet.Test;
        int correct = 0;
        foreach (var (line, index) in lines.Zip(indices))
        {
            var expected = pool.Predict(DigitInput.FromBytes(test.Image(index)));
            Assert.Equal(index, int.Parse(line.Groups["index"].Value, CultureInfo.InvariantCulture));
            Assert.Equal(expected.Label, line.Groups["label"].Value);
            Assert.Equal(expected.Probability, float.Parse(line.Groups["p"].Value, CultureInfo.InvariantCulture), 0.0001f);
            Assert.Equal(test.Labels[index].ToString(CultureInfo.InvariantCulture), line.Groups["true"].Value);
            if (expected.Label == line.Groups["true"].Value) correct++;
        }
        Assert.True(correct >= 18, $"{correct} of {indices.Length} right:\n{output}");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void AFreshAppReferencingTheDataPackageDescribesTheRealMnistWithItsReadmeExample()
    {
        using var dir = new TempDirectory();
        var app = CreateApp(dir, "MlNetMnist.Data");
        var (exitCode, output) = ChildProcess.Run(ChildProcess.DotnetHost, [app, RealMnist.Directory], TimeSpan.FromMinutes(3), Invariant);
        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{output}");

        var data = RealMnist.DataSet;
        Assert.Contains($"MNIST: {data.Train.Count} training and {data.Test.Count} test images of 1×28×28, 10 classes", output);
        Assert.Contains("verified MNIST: True; normalization mean 0.1307", output);
        Assert.Contains($"test image 0: label {data.Test.Labels[0]} ({data.Test.Labels[0]}), 784 pixels", output);
    }

    private static readonly Dictionary<string, string> Invariant = new() { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1" };

    /// <summary>
    /// Makes a console app in <paramref name="dir"/> that references <paramref name="packageId"/>
    /// (and through it the others of ours) from the packed folder only, with the README's example as
    /// Program.cs, builds it and returns the path of its DLL. Its packages are restored into its own
    /// folder, the solution's NuGet cache serving as a fallback for the public packages, so nothing of
    /// ours comes from a cache; the restore's record shows the very packed file was used.
    /// </summary>
    private static string CreateApp(TempDirectory dir, string packageId)
    {
        var app = dir.File("app");
        Run(["new", "console", "-o", app, "--no-restore"], "dotnet new console");
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{dir.File("nuget-packages")}" />
              </config>
              <packageSources>
                <clear />
                <add key="local" value="{PackedPackages.Folder}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local"><package pattern="MlNetMnist.*" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
              <fallbackPackageFolders>
                <add key="solution-cache" value="{NuGetCache.GlobalPackagesFolder}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        Run(["add", app, "package", packageId, "--version", PackedPackages.Version], "dotnet add package");

        using (var package = new NuGetPackageFile(PackedPackages.File(packageId)))
        {
            var readme = package.ReadAllText("README.md");
            var example = Regex.Match(readme, "```csharp\n(?<code>.*?)```", RegexOptions.Singleline);
            Assert.True(example.Success, $"{packageId}'s README has no C# example");
            File.WriteAllText(Path.Combine(app, "Program.cs"), example.Groups["code"].Value);
        }
        Run(["build", app, "-nodeReuse:false", "--disable-build-servers", "-v:q", "--nologo"], "dotnet build");

        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(app, "obj", "project.assets.json")));
        var libraries = assets.RootElement.GetProperty("libraries");
        Assert.DoesNotContain(libraries.EnumerateObject(), l => l.Name.Contains("torch", StringComparison.OrdinalIgnoreCase));
        foreach (var ours in libraries.EnumerateObject().Where(l => l.Name.StartsWith("MlNetMnist.", StringComparison.Ordinal)))
        {
            var id = ours.Name.Split('/')[0];
            var packed = Convert.ToBase64String(SHA512.HashData(File.ReadAllBytes(PackedPackages.File(id))));
            Assert.True(packed == ours.Value.GetProperty("sha512").GetString(), $"{ours.Name} was not restored from the packed {PackedPackages.File(id)}");
        }
        Assert.True(libraries.TryGetProperty($"{packageId}/{PackedPackages.Version}", out _), $"{packageId} is not in the restored graph");
        return Path.Combine(app, "bin", "Debug", "net10.0", "app.dll");
    }

    private static void Run(string[] arguments, string what)
    {
        var (exitCode, log) = ChildProcess.Run(ChildProcess.DotnetHost, arguments, TimeSpan.FromMinutes(10));
        Assert.True(exitCode == 0, $"{what} failed:\n{log}");
    }
}
