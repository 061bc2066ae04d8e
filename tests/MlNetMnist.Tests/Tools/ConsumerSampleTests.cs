using System.Xml.Linq;
using MlNetMnist.Pipelines;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Tools;

/// <summary>
/// Tools/ConsumerSample is the code a reader copies into their own app: it must build with only the
/// three public NuGet packages and classify a real MNIST image from a saved model.zip.
/// </summary>
[Collection(TorchSharpCollection.Name)]
public sealed class ConsumerSampleTests
{
    private static string SampleFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MlNetMnist.sln"))) return Path.Combine(dir.FullName, "Tools", "ConsumerSample");
        }
        throw new InvalidOperationException("MlNetMnist.sln not found above " + AppContext.BaseDirectory);
    }

    private static string ProjectFile => Path.Combine(SampleFolder(), "ConsumerSample.csproj");

    [Fact]
    public void TheSampleReferencesOnlyTheThreeMlNetPackagesWithExplicitVersions()
    {
        var project = XDocument.Load(ProjectFile);
        Assert.Empty(project.Descendants("ProjectReference"));
        var packages = project.Descendants("PackageReference")
            .Select(p => $"{p.Attribute("Include")?.Value} {p.Attribute("Version")?.Value}")
            .Order()
            .ToArray();
        Assert.Equal(["Microsoft.ML 5.0.1", "Microsoft.ML.OnnxRuntime 1.31.1", "Microsoft.ML.OnnxTransformer 5.0.1"], packages);
        Assert.Equal("false", project.Descendants("ManagePackageVersionsCentrally").Single().Value);
    }

    [Fact]
    public void TheBuiltSampleClassifiesARealMnistImageFromASavedModelZip()
    {
        using var dir = new TempDirectory();
        MnistModel.FromOnnx(TrainedModel.OnnxPath).Save(dir.File("model.zip"));
        var test = RealMnist.DataSet.Test;
        const int index = 1;
        File.WriteAllText(dir.File("pixels.txt"), string.Join(", ", test.Image(index).ToArray()));

        // Builds into the temp folder (bin and obj), so it never collides with a build of the repository.
        var (built, buildLog) = ChildProcess.Run(ChildProcess.DotnetHost,
            ["build", ProjectFile, "--artifacts-path", dir.File("artifacts"), "-nodeReuse:false", "--disable-build-servers", "-v:q"],
            TimeSpan.FromSeconds(120));
        Assert.True(built == 0, "dotnet build failed:\n" + buildLog);
        var dll = Directory.GetFiles(dir.File("artifacts"), "ConsumerSample.dll", SearchOption.AllDirectories).Single(f => f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

        var (exitCode, output) = ChildProcess.Run(ChildProcess.DotnetHost, [dll, dir.File("model.zip"), dir.File("pixels.txt")], TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{output}");
        Assert.Contains("Pixels: Vector<Single, 784>", output);
        Assert.Contains($"Predicted digit: {test.Labels[index]}", output);
    }
}
