using System.Text.Json;
using System.Xml.Linq;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Packaging;

/// <summary>
/// The mnist tool as a user gets it: <c>dotnet tool install</c> from the folder the packages were
/// packed into (its only package source), which picks the linux-x64 package here, then the whole
/// pipeline with the installed tool: <c>mnist run --preset fast</c> on the real MNIST files. The
/// package was packed as on a GCC 13 machine (see <see cref="PackedPackages"/>), and this machine
/// is Debian 12: the run loading libtorch proves the patched libLibTorchSharp.so travelled with it.
/// </summary>
public sealed class ToolInstallTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public void TheInstalledLinuxToolRunsTheFastPresetEndToEnd()
    {
        using var dir = new TempDirectory();
        var config = dir.File("nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{PackedPackages.Folder}" />
              </packageSources>
            </configuration>
            """);
        var tools = dir.File("tools");
        var (installed, installLog) = ChildProcess.Run(ChildProcess.DotnetHost,
            ["tool", "install", "--tool-path", tools, "--configfile", config, PackedPackages.ToolId, "--version", PackedPackages.Version],
            TimeSpan.FromMinutes(5));
        Assert.True(installed == 0, "dotnet tool install failed:\n" + installLog);
        var store = Directory.GetDirectories(Path.Combine(tools, ".store"), "*", SearchOption.AllDirectories).Select(d => Path.GetRelativePath(tools, d)).ToList();
        Assert.True(store.Any(d => Path.GetFileName(d) == "mlnetmnist.cli.linux-x64"), "the linux-x64 package was not the one installed:\n" + string.Join("\n", store));
        Assert.DoesNotContain(store, d => d.Contains("win-x64", StringComparison.Ordinal) || d.Contains("osx-arm64", StringComparison.Ordinal));
        var mnist = Path.Combine(tools, "mnist");

        var (versionExit, version) = ChildProcess.Run(mnist, ["--version"], TimeSpan.FromMinutes(1));
        Assert.True(versionExit == 0, version);
        var pinned = XDocument.Load(Path.Combine(Repository.Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => p.Attribute("Include")!.Value, p => p.Attribute("Version")!.Value);
        var line = string.Join(' ', version.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
        Assert.StartsWith($"mnist {PackedPackages.Version} ", line);
        Assert.Contains($"TorchSharp {pinned["TorchSharp-cpu"]}", line);
        Assert.Contains($"ML.NET {pinned["Microsoft.ML"]}", line);
        Assert.Contains($"ONNX Runtime {pinned["Microsoft.ML.OnnxRuntime"]}", line);
        Assert.Matches(@"libtorch \d+\.\d+\.\d+", line); // read from the package's own mnist.deps.json

        var run = dir.File("run");
        var (runExit, runLog) = ChildProcess.Run(mnist, ["run", "--preset", "fast", "--data-dir", RealMnist.Directory, "--out", run, "--no-download", "--quiet"],
            TimeSpan.FromMinutes(10), new Dictionary<string, string> { ["CI"] = "true" });
        Assert.True(runExit == 0, $"mnist run --preset fast failed (exit {runExit}):\n{runLog}");
        foreach (var file in new[] { "model.onnx", "model.zip", "metrics.json", "report.html", "run.json", "confusion-matrix.png" })
            Assert.True(File.Exists(Path.Combine(run, file)), $"the run wrote no {file}:\n{runLog}");
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")));
        Assert.Equal(10_000, metrics.RootElement.GetProperty("count").GetInt32());
        Assert.InRange(metrics.RootElement.GetProperty("accuracy").GetDouble(), 0.95, 1.0);
    }
}
