using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;

namespace MlNetMnist.Cli.Running;

/// <summary>The versions recorded in <c>run.json</c> and shown by <c>mnist info</c>.</summary>
public static class Versions
{
    /// <summary>.NET, ML.NET, TorchSharp, ONNX Runtime and MlNetMnist versions.</summary>
    public static IReadOnlyDictionary<string, string> All() => new SortedDictionary<string, string>
    {
        ["dotnet"] = Environment.Version.ToString(),
        ["mlnet"] = Informational(typeof(MLContext).Assembly),
        ["torchSharp"] = Informational(typeof(TorchSharp.torch).Assembly),
        ["onnxRuntime"] = OrtEnv.Instance().GetVersionString(),
        ["mlNetMnist"] = Informational(typeof(Versions).Assembly),
    };

    private static string Informational(Assembly assembly)
        => (assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "?")
            .Split('+')[0];
}
