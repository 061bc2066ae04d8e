using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MlNetMnist.Pipelines;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Tools;

/// <summary>
/// Tools/ConsumerSample is the code a reader copies into their own app: it must build with only the
/// four public NuGet packages, classify a real MNIST image from a saved model.zip that takes Pixels,
/// and classify PNG and JPEG files with a model.zip trained on image folders (which takes ImagePath).
/// </summary>
[Collection(TorchSharpCollection.Name)]
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
    public void TheSampleReferencesTheFourPackagesOfTheReadmeAtTheVersionsTheSolutionPins()
    {
        var project = XDocument.Load(ProjectFile);
        Assert.Empty(project.Descendants("ProjectReference"));
        var sample = project.Descendants("PackageReference")
            .Select(p => (Id: p.Attribute("Include")!.Value, Version: p.Attribute("Version")?.Value)).OrderBy(p => p.Id).ToList();
        var pinned = XDocument.Load(Path.Combine(RepositoryRoot(), "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => p.Attribute("Include")!.Value, p => p.Attribute("Version")!.Value);
        // The packages that README's section on model.zip tells an app to add (other sections install this repository's own).
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var start = text.IndexOf("## Using `model.zip` in your own app", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no section 'Using `model.zip` in your own app'");
        var end = text.IndexOf("\n## ", start, StringComparison.Ordinal);
        var section = end < 0 ? text[start..] : text[start..end];
        var readme = System.Text.RegularExpressions.Regex.Matches(section, @"dotnet add package (\S+) --version (\S+)")
            .Select(m => (Id: m.Groups[1].Value, Version: (string?)m.Groups[2].Value)).OrderBy(p => p.Id).ToList();

        Assert.Equal(4, readme.Count);
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

        var dll = BuildSample(dir);
        var (exitCode, output) = ChildProcess.Run(ChildProcess.DotnetHost, [dll, dir.File("model.zip"), dir.File("pixels.txt")], TimeSpan.FromMinutes(5));

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{output}");
        Assert.Contains("Pixels: Vector<Single, 784>", output);
        Assert.Contains($"Predicted digit: {test.Labels[index]}", output);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void TheBuiltSampleScoresPngAndJpegFilesWithAnImageFolderModelZipLikePredict()
    {
        using var dir = new TempDirectory();
        var data = dir.File("digits");
        MnistImageFolders.WritePng(RealMnist.Directory, data, trainCount: 3_000, testCount: 300);
        var run = CliProcess.Run(["run", "--preset", "fast", "--data-dir", data, "--out", dir.File("run"), "--no-download"], timeout: TimeSpan.FromMinutes(10));
        Assert.True(run.ExitCode == 0, run.ToString());
        var modelZip = dir.File("run/model.zip");

        // Every PNG test file, and the first 150 test digits again as JPEG (outside the data folder).
        var png = Directory.GetFiles(Path.Combine(data, "test"), "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
        Directory.CreateDirectory(dir.File("jpeg"));
        var jpeg = Enumerable.Range(0, 150).Select(i =>
        {
            var path = dir.File($"jpeg/test-{i:D5}.jpg");
            ImageFileWriter.Jpeg(path, 28, 28, ImageFileWriter.GrayToRgba(RealMnist.DataSet.Test.Image(i)), quality: 90);
            return path;
        });
        string[] files = [.. png, .. jpeg];

        var (exitCode, output) = ChildProcess.Run(ChildProcess.DotnetHost, [BuildSample(dir), modelZip, .. files], TimeSpan.FromMinutes(5));
        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{output}");
        Assert.Contains("ImagePath: String", output);
        var sample = output.Split('\n').Select(line => SampleLine.Match(line.TrimEnd('\r'))).Where(m => m.Success)
            .ToDictionary(m => m.Groups["file"].Value, m => (Index: int.Parse(m.Groups["index"].Value), Name: m.Groups["name"].Value));
        Assert.Equal(files.Length, sample.Count);

        var predict = CliProcess.Run(["predict", "--model", modelZip, "--json", .. files], timeout: TimeSpan.FromMinutes(5));
        Assert.True(predict.ExitCode == 0, predict.ToString());
        using var json = JsonDocument.Parse(predict.StandardOutput);
        var rows = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(files.Length, rows.Length);
        for (int i = 0; i < files.Length; i++)
        {
            // The class names come from model.zip's PredictedLabel column: the folder names.
            var expected = (Index: rows[i].GetProperty("digit").GetInt32(), Name: rows[i].GetProperty("class").GetString());
            Assert.True(sample.TryGetValue(files[i], out var got), $"{files[i]} missing from the sample's output");
            Assert.True(expected == got, $"{files[i]}: predict {expected}, sample {got}");
        }
        Assert.Equal(sample[files[0]].Index.ToString(), sample[files[0]].Name);
    }

    private static readonly Regex SampleLine = new("^(?<file>.+): class (?<index>\\d+) \"(?<name>.*)\" probability (?<p>[0-9.]+)$");

    /// <summary>
    /// Builds the sample into the temp folder (bin and obj), so it never collides with a build of the
    /// repository, with an empty folder as the only package source: every package must already be in
    /// the cache the solution's restore filled, so a cold machine needs nothing more from the network.
    /// Returns the path of ConsumerSample.dll.
    /// </summary>
    private static string BuildSample(TempDirectory dir)
    {
        Directory.CreateDirectory(dir.File("no-packages"));
        var (built, buildLog) = ChildProcess.Run(ChildProcess.DotnetHost,
            ["build", ProjectFile, "--artifacts-path", dir.File("artifacts"), "--source", dir.File("no-packages"), "-nodeReuse:false", "--disable-build-servers", "-v:q"],
            TimeSpan.FromMinutes(15));
        Assert.True(built == 0, "dotnet build failed:\n" + buildLog);
        return Directory.GetFiles(dir.File("artifacts"), "ConsumerSample.dll", SearchOption.AllDirectories).Single(f => f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));
    }
}
