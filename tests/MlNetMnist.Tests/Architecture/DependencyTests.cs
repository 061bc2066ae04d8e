using System.Text.Json;

namespace MlNetMnist.Tests.Architecture;

/// <summary>The dependency rules of the solution, checked on the restored package graphs.</summary>
public sealed class DependencyTests
{
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MlNetMnist.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("MlNetMnist.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Every package in a project's restored graph, transitive ones included.</summary>
    private static IReadOnlyList<string> Packages(string projectFolder)
    {
        var assets = Path.Combine(RepositoryRoot(), projectFolder, "obj", "project.assets.json");
        using var json = JsonDocument.Parse(File.ReadAllText(assets));
        return json.RootElement.GetProperty("libraries").EnumerateObject()
            .Where(l => l.Value.GetProperty("type").GetString() == "package")
            .Select(l => l.Name.Split('/')[0])
            .ToList();
    }

    [Theory]
    [InlineData("Pipelines")]
    [InlineData("Data")]
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
