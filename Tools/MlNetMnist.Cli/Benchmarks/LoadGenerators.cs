using System.Net;

namespace MlNetMnist.Cli.Benchmarks;

/// <summary>The load generators <c>mnist bench serve</c> can drive a server with (<c>--client</c>).</summary>
public enum LoadClient
{
    /// <summary><see cref="WrkLoadGenerator"/> when <c>wrk</c> is on the PATH, else <see cref="HttpClientLoadGenerator"/>.</summary>
    Auto,

    /// <summary><see cref="WrkLoadGenerator"/>: a child <c>wrk</c> process.</summary>
    Wrk,

    /// <summary><see cref="HttpClientLoadGenerator"/>: .NET's HttpClient in this process.</summary>
    HttpClient,
}

/// <summary>What every load generator shares: the loopback rule, the request bound, and the choice of generator.</summary>
internal static class LoadGenerators
{
    /// <summary>The most requests one run sends, whatever its duration.</summary>
    public const int MaxRequestsPerRun = 2_000_000;

    /// <summary>Throws unless <paramref name="address"/> is on 127.0.0.1: the benchmark loads nothing else.</summary>
    /// <exception cref="ArgumentException">Another host.</exception>
    public static void CheckLoopback(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Host != IPAddress.Loopback.ToString())
            throw new ArgumentException($"The load benchmark drives only 127.0.0.1, not {address.Host}.", nameof(address));
    }

    /// <summary>The client <paramref name="requested"/> resolves to on this machine (<see cref="LoadClient.Auto"/>: wrk when installed).</summary>
    /// <exception cref="UserInputException"><see cref="LoadClient.Wrk"/> was asked for and wrk is not installed.</exception>
    public static LoadClient Resolve(LoadClient requested) => requested switch
    {
        LoadClient.Auto => WrkLoadGenerator.FindExecutable() is null ? LoadClient.HttpClient : LoadClient.Wrk,
        LoadClient.Wrk when WrkLoadGenerator.FindExecutable() is null
            => throw new UserInputException("--client wrk: wrk is not on the PATH. Install it (Debian: apt-get install wrk) or use --client httpclient."),
        _ => requested,
    };

    /// <summary>
    /// How long each of <paramref name="rounds"/> alternating runs of a cell lasts for <paramref name="client"/>
    /// (resolved): the cell's <paramref name="duration"/> shared out, rounded up to whole seconds for wrk,
    /// which runs whole seconds only. The references of the same rounds run as long.
    /// </summary>
    public static TimeSpan Slice(LoadClient client, TimeSpan duration, int rounds)
    {
        var slice = duration / rounds;
        return client == LoadClient.Wrk ? TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(slice.TotalSeconds - 1e-9))) : slice;
    }

    /// <summary>A generator of kind <paramref name="client"/> (resolved: not <see cref="LoadClient.Auto"/>).</summary>
    public static ILoadGenerator Create(LoadClient client) => client switch
    {
        LoadClient.Wrk => new WrkLoadGenerator(),
        LoadClient.HttpClient => new HttpClientLoadGenerator(),
        _ => throw new ArgumentOutOfRangeException(nameof(client), client, "Resolve the client first."),
    };
}
