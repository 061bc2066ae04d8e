namespace MlNetMnist.Cli.Benchmarks;

/// <summary>What one load run saw: the requests answered (200) and their latencies, the failures, and how long it ran.</summary>
/// <param name="Latencies">Milliseconds: one per answered request, or (wrk) its latency distribution corrected for coordinated omission.</param>
/// <param name="Answered">Requests answered with 200.</param>
/// <param name="Errors">Requests that failed: another status, or no answer.</param>
/// <param name="Seconds">How long the run took.</param>
/// <param name="ServerCpuSeconds">Processor time the server process used during the run (0 when not measured).</param>
/// <param name="ClientCpuSeconds">Processor time the load generator's process used during the run (0 when not measured).</param>
internal sealed record LoadSample(double[] Latencies, long Answered, long Errors, double Seconds, double ServerCpuSeconds = 0, double ClientCpuSeconds = 0);

/// <summary>What the runs of one cell measured: requests per second (the median of the runs'), latency percentiles over all runs, errors.</summary>
/// <param name="Requests">Requests answered (200).</param>
/// <param name="Errors">Requests that failed.</param>
/// <param name="RequestsPerSecond">The median of the runs' answered requests per second.</param>
/// <param name="P50Milliseconds">Median latency of the answered requests.</param>
/// <param name="P95Milliseconds">95th percentile latency.</param>
/// <param name="P99Milliseconds">99th percentile latency.</param>
/// <param name="ServerCpuMicroseconds">The server's processor time per request sent, over all runs.</param>
/// <param name="ClientCpuMicroseconds">The load generator's processor time per request sent, over all runs.</param>
internal sealed record LoadResult(long Requests, long Errors, double RequestsPerSecond, double P50Milliseconds, double P95Milliseconds, double P99Milliseconds,
    double ServerCpuMicroseconds, double ClientCpuMicroseconds)
{
    /// <summary>Combines the runs of one cell.</summary>
    public static LoadResult Of(IReadOnlyList<LoadSample> samples)
    {
        var all = samples.SelectMany(s => s.Latencies).Order().ToArray();
        double Percentile(double p) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(p * all.Length))];
        long answered = samples.Sum(s => s.Answered), sent = answered + samples.Sum(s => s.Errors);
        double PerRequest(double seconds) => sent == 0 ? double.NaN : seconds * 1e6 / sent;
        return new LoadResult(answered, samples.Sum(s => s.Errors), Statistics.Median(samples.Select(s => s.Answered / s.Seconds)),
            Percentile(0.50), Percentile(0.95), Percentile(0.99),
            PerRequest(samples.Sum(s => s.ServerCpuSeconds)), PerRequest(samples.Sum(s => s.ClientCpuSeconds)));
    }
}
