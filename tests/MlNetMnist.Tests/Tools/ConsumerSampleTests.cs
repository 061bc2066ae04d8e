using System.Xml.Linq;
using MlNetMnist.Pipelines;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Tools;

/// <summary>
/// Tools/ConsumerSample is the code a reader copies into their own app: it must build with only the
/// three public NuGet packages and classify a real MNIST image from a saved model.zip.
/// </summary>
public sealed class ConsumerSampleTests
{
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MlNetMnist.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("MlNetMnist.sln not found above " + AppContext.BaseDirectory);
    }

    private static string ProjectFile => Path.Combine(RepositoryRoot(), "Tools", "ConsumerSample", "ConsumerSample.csproj");

    [Fact]
    public void TheSampleReferencesTheThreePackagesOfTheReadmeAtTheVersionsTheSolutionPins()
    {
        var project = XDocument.Load(ProjectFile);
        Assert.Empty(project.Descendants("ProjectReference"));
        var sample = project.Descendants("PackageReference")
            .Select(p => (Id: p.Attribute("Include")!.Value, Version: p.Attribute("Version")?.Value)).OrderBy(p => p.Id).ToList();
        var pinned = XDocument.Load(Path.Combine(RepositoryRoot(), "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => p.Attribute("Include")!.Value, p => p.Attribute("Version")!.Value);
        var readme = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")),
                @"dotnet add package (\S+) --version (\S+)")
            .Select(m => (Id: m.Groups[1].Value, Version: (string?)m.Groups[2].Value)).OrderBy(p => p.Id).ToList();

        Assert.Equal(3, readme.Count);
        Assert.Equal(readme, sample);                       // what README tells an app to add…
        Assert.All(sample, p => Assert.Equal(pinned[p.Id], p.Version)); // …at the versions the solution restores
        Assert.Equal("false", project.Descendants("ManagePackageVersionsCentrally").Single().Value); // it can be copied out as it is
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void TheBuiltSampleClassifiesARealMnistImageFromASavedModelZip()
    {
        using var dir = new TempDirectory();
        MnistModel.FromOnnx(TrainedModel.OnnxPath).Save(dir.File("model.zip"));
        var test = RealMnist.DataSet.Test;
        const int index = 1;
        File.WriteAllText(dir.File("pixels.txt"), string.Join(", ", test.Image(index).ToArray()));

        // Builds into the temp folder (bin and obj), so it never collides with a build of the repository,
        // with an empty folder as the only package source: every package must already be in the
        // cache the solution's restore filled, so a cold machine needs nothing more from the network.
        Directory.CreateDirectory(dir.File("no-packages"));
        var (built, buildLog) = ChildProcess.Run(ChildProcess.DotnetHost,
            ["build", ProjectFile, "--artifacts-path", dir.File("artifacts"), "--source", dir.File("no-packages"), "-nodeReuse:false", "--disable-build-servers", "-v:q"],
            TimeSpan.FromMinutes(15));
        Assert.True(built == 0, "dotnet build failed:\n" + buildLog);
        var dll = Directory.GetFiles(dir.File("artifacts"), "ConsumerSample.dll", SearchOption.AllDirectories).Single(f => f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

        var (exitCode, output) = ChildProcess.Run(ChildProcess.DotnetHost, [dll, dir.File("model.zip"), dir.File("pixels.txt")], TimeSpan.FromMinutes(5));

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{output}");
        Assert.Contains("Pixels: Vector<Single, 784>", output);
        Assert.Contains($"Predicted digit: {test.Labels[index]}", output);
    }
}
