using System.Diagnostics;
using MlNetMnist.Cli.Running;

namespace MlNetMnist.Cli.Benchmarks;

/// <summary>
/// Runs <c>mnist run</c> as a child process (so its memory is its own) and reads the seconds per
/// stage and the memory figures it records in <c>run.json</c>.
/// </summary>
public static class RunBenchmark
{
    /// <summary>The manifest of a finished <c>mnist run --preset <paramref name="preset"/></c>.</summary>
    /// <exception cref="UserInputException">The child run failed.</exception>
    public static RunManifest Measure(string preset, string? dataDir, int threads, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"mlnetmnist-bench-run-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var info = SelfStartInfo();
            foreach (var arg in new[] { "run", "--preset", preset, "--out", folder, "--threads", threads.ToString(), "--quiet", "--no-download" })
                info.ArgumentList.Add(arg);
            if (dataDir is not null)
            {
                info.ArgumentList.Add("--data-dir");
                info.ArgumentList.Add(dataDir);
            }
            using var process = Process.Start(info) ?? throw new UserInputException("could not start mnist run");
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            process.StandardOutput.ReadToEnd();
            process.WaitForExitAsync(cancellationToken).GetAwaiter().GetResult();
            if (process.ExitCode != 0)
                throw new UserInputException($"mnist run --preset {preset} failed with exit code {process.ExitCode}: {stderr.Result.Trim()}");
            return JsonFiles.Read<RunManifest>(Path.Combine(folder, "run.json"));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>How to start this same program: the apphost or tool shim, or <c>dotnet mnist.dll</c>.</summary>
    private static ProcessStartInfo SelfStartInfo()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            info.ArgumentList.Add(typeof(RunBenchmark).Assembly.Location);
        return info;
    }
}
