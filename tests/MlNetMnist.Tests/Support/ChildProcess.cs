using System.Diagnostics;
using System.Text;

namespace MlNetMnist.Tests.Support;

/// <summary>Runs a command to completion (or kills it after a timeout) and captures its output.</summary>
public static class ChildProcess
{
    /// <summary>The <c>dotnet</c> host running the tests (set by the .NET CLI), else <c>dotnet</c> on the PATH.</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/>; returns its exit code and its standard output and error, interleaved.</summary>
    public static (int ExitCode, string Output) Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in {timeout.TotalSeconds:F0} s:\n{output}");
        }
        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString());
    }
}
