using System.Text.Json;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Architecture;

/// <summary>The dependency rules of the solution, checked on the restored package graphs.</summary>
public sealed class DependencyTests
{
    /// <summary>Every package in a project's restored graph, transitive ones included.</summary>
    private static IReadOnlyList<string> Packages(string projectFolder)
    {
        var assets = Path.Combine(Repository.Root, projectFolder, "obj", "project.assets.json");
        using var json = JsonDocument.Parse(File.ReadAllText(assets));
        return json.RootElement.GetProperty("libraries").EnumerateObject()
            .Where(l => l.Value.GetProperty("type").GetString() == "package")
            .Select(l => l.Name.Split('/')[0])
            .ToList();
    }

    [Theory]
    [InlineData("Pipelines")]
    [InlineData("Data")]
    [InlineData("Tools/MlNetMnist.Server")]
    public void ScoringAndDataNeverPullInTorchSharp(string projectFolder)
    {
        var packages = Packages(projectFolder);
        Assert.Contains("Microsoft.ML", packages);
        Assert.DoesNotContain(packages, p => p.Contains("torch", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void ModelDefinitionDoesUseTorchSharp()
        => Assert.Contains("TorchSharp-cpu", Packages("ModelDefinition"));
}
