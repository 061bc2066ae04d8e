using System.Globalization;
using MlNetMnist.Pipelines;

namespace MlNetMnist.Server;

/// <summary>
/// The server on its own, for a deployment without the mnist tool (and without TorchSharp):
/// <c>dotnet MlNetMnist.Server.dll --model model.zip [--host 127.0.0.1] [--port 5000] [--max-batch 64]
///     [--max-delay-ms 2] [--max-queue 1024] [--max-body 4MiB] [--threads N]</c>
/// The same options as mnist serve, which is the usual way to start it.
/// </summary>
internal static class ServerProgram
{
    private static async Task<int> Main(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 == args.Length) return Usage($"unexpected argument '{args[i]}'");
            values[args[i][2..]] = args[++i];
        }
        int Int(string name, int fallback) => values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
        ServeOptions options;
        try
        {
            options = new ServeOptions
            {
                ModelPath = values.GetValueOrDefault("model", ""),
                Host = values.GetValueOrDefault("host", "127.0.0.1"),
                Port = Int("port", 5000),
                MaxBatch = Int("max-batch", 64),
                MaxDelay = TimeSpan.FromMilliseconds(Int("max-delay-ms", 2)),
                MaxQueue = Int("max-queue", 1024),
                MaxBodyBytes = values.TryGetValue("max-body", out var body) ? ServeOptions.ParseSize(body) ?? throw new FormatException($"--max-body {body} is not a size such as 4MiB") : ServeOptions.DefaultMaxBodyBytes,
                Threads = values.ContainsKey("threads") ? Int("threads", 0) : null,
            };
        }
        catch (FormatException e)
        {
            return Usage(e.Message);
        }
        if (options.Problem() is { } problem) return Usage(problem);

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
        try
        {
            await using var server = await MnistServer.StartAsync(options);
            Console.Out.WriteLine($"Serving {options.ModelPath} on {server.Address} (Ctrl+C stops).");
            await server.WaitAsync(stop.Token);
            return 0;
        }
        catch (Exception e) when (e is ModelFormatException or ServerStartException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static int Usage(string problem)
    {
        Console.Error.WriteLine($"error: {problem}");
        Console.Error.WriteLine("usage: MlNetMnist.Server --model FILE [--host 127.0.0.1] [--port 5000] [--max-batch 64] [--max-delay-ms 2] [--max-queue 1024] [--max-body 4MiB] [--threads N]");
        return 2;
    }
}
