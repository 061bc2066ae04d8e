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
            var arguments = new List<string> { "run", "--preset", preset, "--out", folder, "--threads", threads.ToString(), "--quiet", "--no-download" };
            if (dataDir is not null) arguments.AddRange(["--data-dir", dataDir]);
            ChildProcess.RunSelf(arguments, cancellationToken);
            return JsonFiles.Read<RunManifest>(Path.Combine(folder, "run.json"));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
