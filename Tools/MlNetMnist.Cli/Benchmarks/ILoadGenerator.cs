namespace MlNetMnist.Cli.Benchmarks;

/// <summary>
/// Drives a server with a fixed number of concurrent clients, each sending its next request as
/// soon as the last is answered (a closed loop), for a fixed time and at most
/// <see cref="LoadGenerators.MaxRequestsPerRun"/> requests. Only 127.0.0.1 is ever a target.
/// </summary>
internal interface ILoadGenerator : IDisposable
{
    /// <summary>What drives the load, as the report names it (<c>wrk 4.1.0</c>, <c>HttpClient</c>).</summary>
    string Name { get; }

    /// <summary>POSTs <paramref name="bodies"/> (in turn) to <paramref name="target"/> (on 127.0.0.1) from <paramref name="concurrency"/> clients for <paramref name="duration"/>; the sample's client processor time is the generator's own.</summary>
    /// <exception cref="ArgumentException"><paramref name="target"/> is not on 127.0.0.1.</exception>
    Task<LoadSample> RunAsync(Uri target, IReadOnlyList<byte[]> bodies, string contentType, int concurrency, TimeSpan duration, CancellationToken cancellationToken);
}
