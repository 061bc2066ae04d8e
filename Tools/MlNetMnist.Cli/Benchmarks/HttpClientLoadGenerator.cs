using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace MlNetMnist.Cli.Benchmarks;

/// <summary>
/// The load generator in this process: .NET's <see cref="HttpClient"/>, one task per client, each
/// sending its next request as soon as the last is answered. Its processor time is this process's
/// over the run. Only 127.0.0.1 is ever a target.
/// </summary>
internal sealed class HttpClientLoadGenerator : ILoadGenerator
{
    private readonly HttpClient _client;

    /// <summary>A generator whose connections (pooled per server) last as long as it does.</summary>
    public HttpClientLoadGenerator()
    {
        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <inheritdoc />
    public string Name => "HttpClient";

    /// <inheritdoc />
    public async Task<LoadSample> RunAsync(Uri target, IReadOnlyList<byte[]> bodies, string contentType, int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        LoadGenerators.CheckLoopback(target);
        var type = MediaTypeHeaderValue.Parse(contentType);
        long sent = 0, errors = 0;
        var latencies = new List<double>[concurrency];
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var clients = Enumerable.Range(0, concurrency).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<double>();
            for (int n = c; clock.Elapsed < duration && Interlocked.Increment(ref sent) <= LoadGenerators.MaxRequestsPerRun; n += concurrency)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var content = new ByteArrayContent(bodies[n % bodies.Count]);
                content.Headers.ContentType = type;
                long start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await _client.PostAsync(target, content, cancellationToken);
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
        self.Refresh();
        double[] all = [.. latencies.SelectMany(l => l)];
        return new LoadSample(all, all.Length, errors, seconds, ClientCpuSeconds: (self.TotalProcessorTime - cpuBefore).TotalSeconds);
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();
}
