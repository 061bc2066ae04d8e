using System.Diagnostics;

namespace MlNetMnist.Tests.Support;

/// <summary>What a run of the <c>mnist</c> CLI did: its exit code and everything it printed.</summary>
public sealed record CliResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string AllOutput => StandardOutput + StandardError;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}

/// <summary>Runs the built <c>mnist</c> CLI as a separate process, as a user would.</summary>
public static class CliProcess
{
    private static readonly Lazy<string> CliDll = new(FindCli);

    /// <summary>The built <c>mnist.dll</c>.</summary>
    public static string Dll => CliDll.Value;

    /// <summary>
    /// Starts <c>mnist</c> with <paramref name="args"/> (in <paramref name="workingDirectory"/>, and
    /// as the user and group <paramref name="asUser"/> through <c>setpriv</c>, when given); the caller waits and reads.
    /// </summary>
    public static Process Start(IEnumerable<string> args, IDictionary<string, string?>? environment = null, string? workingDirectory = null, int? asUser = null)
    {
        // Through env(1), which resets SIGINT to its default: a test host started in the background
        // of a non-interactive shell (as CI jobs often are) ignores SIGINT, children inherit that,
        // and .NET keeps an inherited SIG_IGN, so Ctrl+C could never reach the CLI.
        var info = new ProcessStartInfo("env")
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--default-signal=INT");
        if (asUser is int id)
            foreach (var arg in new[] { "setpriv", $"--reuid={id}", $"--regid={id}", "--clear-groups", "--" })
                info.ArgumentList.Add(arg);
        info.ArgumentList.Add(ChildProcess.DotnetHost);
        info.ArgumentList.Add(CliDll.Value);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["CI"] = "true"; // plain progress lines
        info.Environment.Remove("MNIST_DATA_DIR");
        if (environment is not null)
            foreach (var (key, value) in environment) info.Environment[key] = value;
        return Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
    }

    /// <summary>Runs <c>mnist</c> to completion (killing it after <paramref name="timeout"/>).</summary>
    public static CliResult Run(IEnumerable<string> args, IDictionary<string, string?>? environment = null, TimeSpan? timeout = null, string? workingDirectory = null, int? asUser = null)
    {
        using var process = Start(args, environment, workingDirectory, asUser);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(15)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mnist {string.Join(' ', args)} did not finish in time");
        }
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string FindCli()
    {
        // tests/MlNetMnist.Tests/bin/<Configuration>/net10.0 → Tools/MlNetMnist.Cli/bin/<Configuration>/net10.0/mnist.dll
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testOutput.Parent!.Name;
        for (var dir = testOutput; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "Tools", "MlNetMnist.Cli", "bin", configuration, "net10.0", "mnist.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("The built mnist CLI (mnist.dll) was not found; build the solution first.");
    }
}
