using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace MlNetMnist.Cli.Benchmarks;

/// <summary>What one load run saw: the latency of every answered request (200), the failures, and how long it ran.</summary>
/// <param name="Latencies">Milliseconds of each answered request.</param>
/// <param name="Errors">Requests that failed: another status, or no answer.</param>
/// <param name="Seconds">How long the run took.</param>
/// <param name="ServerCpuSeconds">Processor time the server process used during the run (0 when not measured).</param>
/// <param name="ClientCpuSeconds">Processor time the load generator's process used during the run (0 when not measured).</param>
internal sealed record LoadSample(double[] Latencies, long Errors, double Seconds, double ServerCpuSeconds = 0, double ClientCpuSeconds = 0);

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
        long sent = all.Length + samples.Sum(s => s.Errors);
        double PerRequest(double seconds) => sent == 0 ? double.NaN : seconds * 1e6 / sent;
        return new LoadResult(all.Length, samples.Sum(s => s.Errors), Statistics.Median(samples.Select(s => s.Latencies.Length / s.Seconds)),
            Percentile(0.50), Percentile(0.95), Percentile(0.99),
            PerRequest(samples.Sum(s => s.ServerCpuSeconds)), PerRequest(samples.Sum(s => s.ClientCpuSeconds)));
    }
}

/// <summary>
/// Drives a server with a fixed number of concurrent clients, each sending its next request as soon
/// as the last is answered, for a fixed time and at most a fixed count. Only 127.0.0.1 is ever a target.
/// </summary>
internal sealed class LoadGenerator : IDisposable
{
    /// <summary>The most requests one run sends, whatever its duration.</summary>
    public const int MaxRequestsPerRun = 2_000_000;

    private readonly HttpClient _client;

    /// <summary>A generator for the server at <paramref name="address"/>, which must be on 127.0.0.1.</summary>
    public LoadGenerator(Uri address)
    {
        if (address.Host != IPAddress.Loopback.ToString())
            throw new ArgumentException($"The load benchmark drives only 127.0.0.1, not {address.Host}.", nameof(address));
        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>Sends <paramref name="bodies"/> (in turn) to <paramref name="path"/> from <paramref name="concurrency"/> clients for <paramref name="duration"/>.</summary>
    public async Task<LoadSample> RunAsync(string path, IReadOnlyList<byte[]> bodies, string contentType, int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        var type = MediaTypeHeaderValue.Parse(contentType);
        long sent = 0, errors = 0;
        var latencies = new List<double>[concurrency];
        var clock = Stopwatch.StartNew();
        var clients = Enumerable.Range(0, concurrency).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<double>();
            for (int n = c; clock.Elapsed < duration && Interlocked.Increment(ref sent) <= MaxRequestsPerRun; n += concurrency)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var content = new ByteArrayContent(bodies[n % bodies.Count]);
                content.Headers.ContentType = type;
                long start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await _client.PostAsync(path, content, cancellationToken);
                    await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    if (response.StatusCode == HttpStatusCode.OK) mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    else Interlocked.Increment(ref errors);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(clients);
        return new LoadSample([.. latencies.SelectMany(l => l)], errors, clock.Elapsed.TotalSeconds);
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();
}
