using System.Reflection;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;

namespace MlNetMnist.Cli.Running;

/// <summary>The versions recorded in <c>run.json</c>, shown by <c>mnist info</c> and printed by <c>mnist --version</c>.</summary>
public static class Versions
{
    /// <summary>.NET, ML.NET, TorchSharp, libtorch, ONNX Runtime and MlNetMnist versions.</summary>
    public static IReadOnlyDictionary<string, string> All() => new SortedDictionary<string, string>
    {
        ["dotnet"] = Environment.Version.ToString(),
        ["mlnet"] = Informational(typeof(MLContext).Assembly),
        ["torchSharp"] = Informational(typeof(TorchSharp.torch).Assembly),
        ["libtorch"] = LibTorch() ?? "?",
        ["onnxRuntime"] = OrtEnv.Instance().GetVersionString(),
        ["mlNetMnist"] = Informational(typeof(Versions).Assembly),
    };

    /// <summary>
    /// What <c>mnist --version</c> prints: this tool's version (from the one <c>Version</c> of
    /// Directory.Build.props, plus the commit), then the libraries it runs on. Reads no native library.
    /// </summary>
    public static string Line()
    {
        var own = typeof(Versions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
        var (version, commit) = own.Split('+') is [var v, var c, ..] ? (v, $" (commit {c[..Math.Min(7, c.Length)]})") : (own, "");
        return $"mnist {version}{commit}; TorchSharp {Informational(typeof(TorchSharp.torch).Assembly)}, libtorch {LibTorch() ?? "?"}, " +
               $"ML.NET {Informational(typeof(MLContext).Assembly)}, ONNX Runtime {Informational(typeof(InferenceSession).Assembly)}, .NET {Environment.Version}";
    }

    private static string Informational(Assembly assembly)
        => (assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "?")
            .Split('+')[0];

    /// <summary>The libtorch package the tool was built with (<c>libtorch-cpu-…/2.10.0</c> in its deps.json); null when not found.</summary>
    private static string? LibTorch()
    {
        var deps = Path.Combine(AppContext.BaseDirectory, $"{Assembly.GetEntryAssembly()?.GetName().Name ?? "mnist"}.deps.json");
        if (!File.Exists(deps)) return null;
        using var json = JsonDocument.Parse(File.ReadAllText(deps));
        if (!json.RootElement.TryGetProperty("libraries", out var libraries)) return null;
        foreach (var library in libraries.EnumerateObject())
            if (library.Name.StartsWith("libtorch-cpu", StringComparison.Ordinal) && library.Name.Split('/') is [_, var version]) return version;
        return null;
    }
}
