using System.Xml.Linq;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Tools;

/// <summary><c>mnist --version</c>: the one version of Directory.Build.props and the libraries the tool runs on, at the versions the solution pins.</summary>
public sealed class CliVersionTests
{
    [Fact]
    public void TheVersionNamesTheToolAndEveryLibraryAtThePinnedVersions()
    {
        var root = Repository.Root;
        string own = XDocument.Load(Path.Combine(root, "Directory.Build.props")).Descendants("Version").Single().Value;
        var pinned = XDocument.Load(Path.Combine(root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => p.Attribute("Include")!.Value, p => p.Attribute("Version")!.Value);

        var result = CliProcess.Run(["--version"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var text = string.Join(' ', result.StandardOutput.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
        Assert.StartsWith($"mnist {own} ", text);
        Assert.Contains($"TorchSharp {pinned["TorchSharp-cpu"]}", text);
        Assert.Contains($"ML.NET {pinned["Microsoft.ML"]}", text);
        Assert.Contains($"ONNX Runtime {pinned["Microsoft.ML.OnnxRuntime"]}", text);
        Assert.Matches(@"libtorch \d+\.\d+\.\d+", text); // from the tool's deps.json: the libtorch-cpu package TorchSharp-cpu brought
        Assert.Contains($".NET {Environment.Version.Major}.", text);
    }
}
