using System.Globalization;

namespace MlNetMnist.Cli.Benchmarks;

/// <summary>
/// The lean load generator: a child <c>wrk</c> process (Debian's <c>wrk</c> package; one thread, an
/// event loop over its connections) running <c>wrk_load.lua</c>, which builds every request once and
/// sends them in turn. It spends about half the processor time per request that
/// <see cref="HttpClientLoadGenerator"/> does on the same cores (≈ 24 against 55 µs at 32 clients,
/// most of wrk's in the kernel's loopback TCP), so more of the machine is left to the server under test.
/// Its processor time is the child's own (Lua's <c>os.clock</c>). Only 127.0.0.1 is ever a target.
/// </summary>
/// <remarks>
/// wrk runs for whole seconds: a run lasts its duration rounded up to a whole second
/// (<see cref="LoadGenerators.Slice"/> makes the bench's slices whole seconds for it).
/// wrk counts an answer with a status above 399 as an error. Its latency distribution covers every
/// answer and is corrected for coordinated omission: after a run wrk adds, for each latency over
/// twice a connection's mean time per request, the shorter latencies of the requests that connection
/// would have sent meanwhile (wrk 4's <c>stats_correct</c>). Its percentiles are therefore a little
/// higher than an uncorrected closed loop's (<see cref="HttpClientLoadGenerator"/>'s) at the same load.
/// </remarks>
internal sealed class WrkLoadGenerator : ILoadGenerator
{
    private readonly string _wrk;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"mlnetmnist-wrk-{Guid.NewGuid():N}");
    private readonly Dictionary<IReadOnlyList<byte[]>, string> _bodyFolders = new(ReferenceEqualityComparer.Instance);

    /// <summary>A generator with its script, and the bodies it is given, in a temporary folder of its own (removed when disposed).</summary>
    /// <exception cref="UserInputException">wrk is not installed.</exception>
    public WrkLoadGenerator()
    {
        _wrk = FindExecutable() ?? throw new UserInputException("wrk is not on the PATH. Install it (Debian: apt-get install wrk) or use --client httpclient.");
        Directory.CreateDirectory(_folder);
        try
        {
            using (var script = typeof(WrkLoadGenerator).Assembly.GetManifestResourceStream("wrk_load.lua")
                                ?? throw new InvalidOperationException("wrk_load.lua is not embedded in this build."))
            using (var file = File.Create(ScriptPath))
                script.CopyTo(file);
            Name = Version(_wrk);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public string Name { get; }

    private string ScriptPath => Path.Combine(_folder, "wrk_load.lua");

    /// <summary>The wrk executable on the PATH, or null.</summary>
    public static string? FindExecutable()
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "wrk")).FirstOrDefault(File.Exists);

    /// <inheritdoc />
    public Task<LoadSample> RunAsync(Uri target, IReadOnlyList<byte[]> bodies, string contentType, int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        LoadGenerators.CheckLoopback(target);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(concurrency);
        ArgumentOutOfRangeException.ThrowIfZero(bodies.Count);
        var folder = BodyFolder(bodies);
        int seconds = Math.Max(1, (int)Math.Ceiling(duration.TotalSeconds - 1e-9));
        string[] arguments =
        [
            "--threads", "1", "--connections", concurrency.ToString(CultureInfo.InvariantCulture), "--duration", $"{seconds}s",
            "--timeout", "30s", "--script", ScriptPath, target.ToString(),
            "--", folder, bodies.Count.ToString(CultureInfo.InvariantCulture), contentType,
            LoadGenerators.MaxRequestsPerRun.ToString(CultureInfo.InvariantCulture),
        ];
        return Task.Run(() => Parse(ChildProcess.Run(_wrk, arguments, cancellationToken)), cancellationToken);
    }

    // "wrk debian/4.1.0-3+b2 [epoll] Copyright …" (wrk --version exits with 1) → "wrk 4.1.0-3+b2".
    private static string Version(string wrk)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(wrk, "--version") { RedirectStandardOutput = true, UseShellExecute = false })
                            ?? throw new UserInputException($"could not start {wrk}");
        var words = process.StandardOutput.ReadLine()?.Split(' ') ?? [];
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return words is ["wrk", var version, ..] ? $"wrk {version[(version.IndexOf('/') + 1)..]}" : "wrk";
    }

    /// <summary>Reads the summary and the latency histogram that <c>wrk_load.lua</c> prints.</summary>
    /// <exception cref="FormatException">The output has no summary line.</exception>
    internal static LoadSample Parse(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var summary = lines.LastOrDefault(line => line.StartsWith("MLNM ", StringComparison.Ordinal))
                      ?? throw new FormatException($"wrk printed no summary: {output.Trim()}");
        var fields = summary[5..].Split(' ').Select(pair => pair.Split('=')).ToDictionary(pair => pair[0], pair => double.Parse(pair[1], CultureInfo.InvariantCulture));
        var latencies = new List<double>();
        foreach (var line in lines.Where(line => line.StartsWith("H ", StringComparison.Ordinal)))
        {
            var parts = line.Split(' ');
            double milliseconds = long.Parse(parts[1], CultureInfo.InvariantCulture) / 1000.0;
            latencies.AddRange(Enumerable.Repeat(milliseconds, int.Parse(parts[2], CultureInfo.InvariantCulture)));
        }
        long errors = (long)(fields["connect"] + fields["read"] + fields["write"] + fields["status"] + fields["timeout"]);
        // A late answer counts in both wrk's requests and its timeouts: an error, not an answer.
        return new LoadSample([.. latencies], (long)(fields["requests"] - fields["status"] - fields["timeout"]), errors, fields["duration"] / 1e6, ClientCpuSeconds: fields["cpu"]);
    }

    private string BodyFolder(IReadOnlyList<byte[]> bodies)
    {
        if (_bodyFolders.TryGetValue(bodies, out var folder)) return folder;
        folder = Path.Combine(_folder, $"bodies-{_bodyFolders.Count}");
        Directory.CreateDirectory(folder);
        for (int i = 0; i < bodies.Count; i++) File.WriteAllBytes(Path.Combine(folder, $"{i:D4}.body"), bodies[i]);
        return _bodyFolders[bodies] = folder;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
