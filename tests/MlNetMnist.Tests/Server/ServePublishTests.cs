using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Server;

/// <summary>The server scores without TorchSharp: its publish output holds no libtorch, and it runs from there on its own.</summary>
public sealed class ServePublishTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public void ThePublishedServerHoldsNoTorchSharpAndServes()
    {
        using var output = new TempDirectory();
        var (exitCode, log) = ChildProcess.Run(ChildProcess.DotnetHost,
            ["publish", Path.Combine(Repository.Root, "Tools", "MlNetMnist.Server", "MlNetMnist.Server.csproj"), "-c", Repository.Configuration, "-o", output.Path, "--nologo", "-v", "quiet"],
            TimeSpan.FromMinutes(10));
        Assert.True(exitCode == 0, log);

        var files = Directory.GetFiles(output.Path, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(output.Path, f)).ToList();
        Assert.Contains("MlNetMnist.Server.dll", files);
        Assert.Contains(files, f => f.EndsWith("libonnxruntime.so", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.Contains("torch", StringComparison.OrdinalIgnoreCase) || f.Contains("libc10", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.Contains("ModelDefinition", StringComparison.Ordinal));

        // And it serves from there: a wrong model is one clear line (the whole start-up path ran without TorchSharp).
        var (serveExit, serveOutput) = ChildProcess.Run(ChildProcess.DotnetHost, [Path.Combine(output.Path, "MlNetMnist.Server.dll"), "--model", output.File("missing.zip")], TimeSpan.FromMinutes(2));
        Assert.Equal(1, serveExit);
        Assert.Contains($"error: {output.File("missing.zip")}: model file not found.", serveOutput);
    }
}
