using System.IO.Compression;
using System.Reflection;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MlNetMnist.Data;
using MlNetMnist.Tests.Support;
using SkiaSharp;

namespace MlNetMnist.Tests.Architecture;

/// <summary>
/// Microsoft.ML.ImageAnalytics 5.0.1 is built against SkiaSharp 2.88; with a SkiaSharp 3 in the
/// process its pixel access throws MissingMethodException (dotnet/machinelearning#7413), which
/// breaks ML.NET's own ExtractPixels. ScottPlot 5 once brought SkiaSharp 3.119 in this way. These
/// tests keep every SkiaSharp the product resolves at 2.88.x: in what the builds resolve, in what
/// this process loaded, and by running ML.NET's image pipeline on a real MNIST image.
/// </summary>
public sealed class SkiaSharpVersionTests
{
    private const string Expected = "2.88.";

    public static TheoryData<string, string> DependencyFiles() => new()
    {
        { "Tools/MlNetMnist.Cli", "mnist.deps.json" },
        { "Pipelines", "MlNetMnist.Pipelines.deps.json" },
        { "tests/MlNetMnist.Tests", "MlNetMnist.Tests.deps.json" },
    };

    /// <summary>
    /// Every SkiaSharp package (native assets included) a deps.json resolves, as "id/version", and
    /// every SkiaSharp assembly it would load, as "file: assembly version".
    /// </summary>
    private static (List<string> Packages, List<string> Assemblies) SkiaSharpIn(string depsJson)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(depsJson));
        var packages = json.RootElement.GetProperty("libraries").EnumerateObject()
            .Where(l => l.Value.GetProperty("type").GetString() == "package" && IsSkiaSharp(l.Name))
            .Select(l => l.Name).ToList();
        var assemblies = new List<string>();
        foreach (var target in json.RootElement.GetProperty("targets").EnumerateObject())
            foreach (var library in target.Value.EnumerateObject())
                if (library.Value.TryGetProperty("runtime", out var runtime))
                    foreach (var file in runtime.EnumerateObject())
                        if (IsSkiaSharp(Path.GetFileName(file.Name)))
                            assemblies.Add($"{file.Name}: {file.Value.GetProperty("assemblyVersion").GetString()}");
        return (packages, assemblies);
    }

    private static bool IsSkiaSharp(string name) => name.StartsWith("SkiaSharp", StringComparison.OrdinalIgnoreCase);

    [Theory]
    [MemberData(nameof(DependencyFiles))]
    public void EveryBuildOutputResolvesOnlySkiaSharp2_88(string projectFolder, string depsFile)
    {
        var path = Path.Combine(Repository.Output(projectFolder), depsFile);
        Assert.True(File.Exists(path), $"{path} not found: build the solution first.");

        var (packages, assemblies) = SkiaSharpIn(path);

        Assert.Contains(packages, p => p.StartsWith("SkiaSharp/", StringComparison.Ordinal));
        Assert.Contains(packages, p => p.StartsWith("SkiaSharp.NativeAssets.Linux", StringComparison.Ordinal));
        Assert.Contains(assemblies, a => a.StartsWith("lib/net6.0/SkiaSharp.dll:", StringComparison.Ordinal));
        var others = packages.Where(p => !p.Split('/')[1].StartsWith(Expected, StringComparison.Ordinal))
            .Concat(assemblies.Where(a => !a.Split(": ")[1].StartsWith(Expected, StringComparison.Ordinal))).ToList();
        Assert.True(others.Count == 0,
            $"{depsFile} resolves SkiaSharp other than 2.88, which breaks ImageAnalytics 5.0.1 (dotnet/machinelearning#7413): {string.Join(", ", others)}");
    }

    [Fact]
    public void TheSkiaSharpLoadedInThisProcessIsTheOneImageAnalyticsIsBuiltAgainst()
    {
        var loaded = typeof(SKBitmap).Assembly;
        var wanted = typeof(MLImage).Assembly.GetReferencedAssemblies().Single(a => a.Name == "SkiaSharp");
        string? fileVersion = loaded.GetCustomAttribute<AssemblyFileVersionAttribute>()?.Version;

        Assert.Equal("2.88.0.0", wanted.Version?.ToString());
        Assert.Equal(wanted.Version, loaded.GetName().Version);
        Assert.StartsWith(Expected, fileVersion);
        Assert.Equal(88, SkiaSharpVersion.Native.Major); // libSkiaSharp's milestone, checked against the managed side
        Assert.All(AppDomain.CurrentDomain.GetAssemblies().Where(a => IsSkiaSharp(a.GetName().Name ?? "")),
            a => Assert.Equal(wanted.Version, a.GetName().Version));
    }

    public sealed class ImagePath
    {
        public string Path { get; set; } = "";
    }

    [Fact]
    public void MlNetsLoadResizeAndExtractPixelsGiveTheIdxPixelsOfRealMnistImages()
    {
        int[] indices = [0, 1, 4321];
        using var dir = new TempDirectory();
        var rows = new List<ImagePath>();
        foreach (int i in indices)
        {
            // Each image twice its size, each pixel a 2×2 block, so that ResizeImages has real work to do.
            new GrayCanvas(56, 56, 0).PasteMnist(RealMnist.DataSet.Test.Image(i), 0, 0, scale: 2, invert: false)
                .Save(dir.File($"test-{i}.png"));
            rows.Add(new ImagePath { Path = $"test-{i}.png" });
        }
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.LoadImages("Image", dir.Path, nameof(ImagePath.Path))
            .Append(ml.Transforms.ResizeImages("Image", 28, 28, resizing: ImageResizingEstimator.ResizingKind.Fill))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image", ImagePixelExtractingEstimator.ColorBits.Red));

        var pixels = pipeline.Fit(data).Transform(data).GetColumn<VBuffer<float>>("Pixels").Select(v => v.DenseValues().ToArray()).ToList();

        Assert.Equal(indices.Length, pixels.Count);
        for (int k = 0; k < indices.Length; k++)
        {
            var expected = IdxTestImage(indices[k]).Select(b => (float)b).ToArray();
            Assert.Equal(MnistCatalog.Shape.PixelCount, pixels[k].Length);
            Assert.Equal(expected, pixels[k]);
            Assert.Contains(pixels[k], v => v > 200); // real ink, not a blank image that would match a blank expectation
        }
    }

    /// <summary>Test image <paramref name="index"/> as raw bytes of the real t10k IDX file: 16 header bytes, then 784 bytes per image.</summary>
    private static byte[] IdxTestImage(int index)
    {
        using var gzip = new GZipStream(File.OpenRead(RealMnist.File(MnistFileKind.TestImages)), CompressionMode.Decompress);
        var bytes = new byte[16 + (index + 1) * MnistCatalog.Shape.PixelCount];
        gzip.ReadExactly(bytes);
        Assert.Equal(0x0803, bytes[2] << 8 | bytes[3]); // the IDX magic of unsigned-byte rank-3 data
        return bytes[(16 + index * MnistCatalog.Shape.PixelCount)..];
    }
}
