using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace MlNetMnist.Cli.Benchmarks;

/// <summary>What one load run measured: requests per second, latency percentiles, errors.</summary>
/// <param name="Requests">Requests answered (200) in the run.</param>
/// <param name="Errors">Requests that failed: another status, or no answer.</param>
/// <param name="RequestsPerSecond">Answered requests per second of the run.</param>
/// <param name="P50Milliseconds">Median latency of the answered requests.</param>
/// <param name="P95Milliseconds">95th percentile latency.</param>
/// <param name="P99Milliseconds">99th percentile latency.</param>
internal sealed record LoadResult(long Requests, long Errors, double RequestsPerSecond, double P50Milliseconds, double P95Milliseconds, double P99Milliseconds);

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
    public async Task<LoadResult> RunAsync(string path, IReadOnlyList<byte[]> bodies, string contentType, int concurrency, TimeSpan duration, CancellationToken cancellationToken)
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
        double seconds = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Percentile(double p) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(p * all.Length))];
        return new LoadResult(all.Length, errors, all.Length / seconds, Percentile(0.50), Percentile(0.95), Percentile(0.99));
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();
}
