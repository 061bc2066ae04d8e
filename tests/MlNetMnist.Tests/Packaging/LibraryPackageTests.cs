using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Packaging;

/// <summary>
/// The library packages, MlNetMnist.Data and MlNetMnist.Pipelines: what a consumer's restore and
/// nuget.org read from them (dependencies, README, license, repository, XML docs, symbols).
/// </summary>
public sealed class LibraryPackageTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public void ThePipelinesPackageDependsOnNoTorchSharpOrLibtorchNorDoesAnyOfOurPackagesItBrings()
    {
        using var pipelines = new NuGetPackageFile(PackedPackages.File("MlNetMnist.Pipelines"));
        var dependencies = pipelines.DependencyIds;
        Assert.Contains("MlNetMnist.Data", dependencies);
        Assert.Contains("Microsoft.ML", dependencies);
        Assert.Contains("Microsoft.ML.OnnxTransformer", dependencies);
        Assert.Contains("Microsoft.ML.OnnxRuntime", dependencies);
        Assert.DoesNotContain(dependencies, d => d.Contains("torch", StringComparison.OrdinalIgnoreCase) || d.StartsWith("MlNetMnist.ModelDefinition", StringComparison.Ordinal));

        using var data = new NuGetPackageFile(PackedPackages.File("MlNetMnist.Data"));
        Assert.DoesNotContain(data.DependencyIds, d => d.Contains("torch", StringComparison.OrdinalIgnoreCase) || d.StartsWith("MlNetMnist.", StringComparison.Ordinal));
        Assert.Equal(PackedPackages.Version, pipelines.Nuspec.Descendants().Single(e => e.Name.LocalName == "dependency" && e.Attribute("id")!.Value == "MlNetMnist.Data").Attribute("version")!.Value);
        Assert.DoesNotContain(pipelines.Files, f => f.FullName.Contains("torch", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [Trait("Category", "Slow")]
    [InlineData("MlNetMnist.Data")]
    [InlineData("MlNetMnist.Pipelines")]
    public void EachLibraryPackageHasItsReadmeXmlDocsLicenseRepositoryAndSymbols(string id)
    {
        using var package = new NuGetPackageFile(PackedPackages.File(id));
        Assert.Equal(id, package.Metadata("id"));
        Assert.Equal(PackedPackages.Version, package.Metadata("version"));
        Assert.False(string.IsNullOrWhiteSpace(package.Metadata("description")));

        Assert.Equal("README.md", package.Metadata("readme"));
        var readme = package.ReadAllText("README.md");
        Assert.StartsWith($"# {id}", readme);
        Assert.Contains("```csharp", readme);
        Assert.Contains($"dotnet add package {id} --version {PackedPackages.Version}", readme);

        var license = package.MetadataElement("license")!;
        Assert.Equal("expression", license.Attribute("type")!.Value);
        Assert.Equal("MIT", license.Value);

        var repository = package.MetadataElement("repository")!;
        Assert.Equal("git", repository.Attribute("type")!.Value);
        var (gitExit, head) = ChildProcess.Run("git", ["-C", Repository.Root, "rev-parse", "HEAD"], TimeSpan.FromSeconds(30));
        Assert.Equal(0, gitExit);
        Assert.Equal(head.Trim(), repository.Attribute("commit")!.Value);

        var files = package.Files.Select(f => f.FullName).ToList();
        Assert.Contains($"lib/net10.0/{id}.dll", files);
        Assert.Contains($"lib/net10.0/{id}.xml", files);
        Assert.Contains("<member name=\"T:", package.ReadAllText($"lib/net10.0/{id}.xml"));
        Assert.DoesNotContain(files, f => f.EndsWith(".pdb", StringComparison.Ordinal));

        using var symbols = new NuGetPackageFile(PackedPackages.File(id, ".snupkg"));
        Assert.Equal(["SymbolsPackage"], symbols.PackageTypes);
        Assert.Contains($"lib/net10.0/{id}.pdb", symbols.Files.Select(f => f.FullName));
    }
}
