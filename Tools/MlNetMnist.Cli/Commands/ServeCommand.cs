using System.ComponentModel;
using System.Text.Json;
using MlNetMnist.Cli.Running;
using MlNetMnist.Server;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli.Commands;

/// <summary><c>mnist serve</c>: the prediction web service (<see cref="MnistServer"/>) until Ctrl+C or SIGTERM.</summary>
public sealed class ServeCommand : AsyncCommand<ServeCommand.Settings>
{
    /// <summary>Options of <c>mnist serve</c>; the defaults are <see cref="ServeOptions"/>'.</summary>
    public sealed class Settings : ModelSettings
    {
        /// <summary>The address to listen on.</summary>
        [CommandOption("--host <ADDRESS>")]
        [Description("The address to listen on. Default 127.0.0.1 (this machine only); 0.0.0.0 exposes the server on every interface.")]
        [DefaultValue("127.0.0.1")]
        public string Host { get; init; } = "127.0.0.1";

        /// <summary>The TCP port.</summary>
        [CommandOption("--port <PORT>")]
        [Description("The TCP port. Default 5000; 0 picks a free one (printed).")]
        [DefaultValue(5000)]
        public int Port { get; init; } = 5000;

        /// <summary>The most images scored in one batch.</summary>
        [CommandOption("--max-batch <N>")]
        [Description("The most requests' images scored together in one batch (1–256). Default 64; 1 turns batching off.")]
        [DefaultValue(64)]
        public int MaxBatch { get; init; } = 64;

        /// <summary>How long a forming batch waits for requests still arriving.</summary>
        [CommandOption("--max-delay-ms <MS>")]
        [Description("How long a forming batch waits for requests that are still arriving (0–1000 ms). Default 2. A lone request never waits.")]
        [DefaultValue(2)]
        public int MaxDelayMilliseconds { get; init; } = 2;

        /// <summary>The most images waiting or being scored.</summary>
        [CommandOption("--max-queue <N>")]
        [Description("The most images waiting or being scored at once; more get 503 with Retry-After. Default 1024.")]
        [DefaultValue(1024)]
        public int MaxQueue { get; init; } = 1024;

        /// <summary>The largest request body.</summary>
        [CommandOption("--max-body <SIZE>")]
        [Description("The largest request body (4MiB, 512KiB, or bytes); larger ones get 413. Default 4MiB.")]
        [DefaultValue("4MiB")]
        public string MaxBody { get; init; } = "4MiB";

        /// <summary>The server options these settings give.</summary>
        public ServeOptions ToServeOptions() => new()
        {
            ModelPath = Model ?? "",
            Host = Host,
            Port = Port,
            MaxBatch = MaxBatch,
            MaxDelay = TimeSpan.FromMilliseconds(MaxDelayMilliseconds),
            MaxQueue = MaxQueue,
            MaxBodyBytes = ServeOptions.ParseSize(MaxBody) ?? 0,
            Threads = Threads,
        };

        /// <inheritdoc />
        public override ValidationResult Validate()
        {
            if (ServeOptions.ParseSize(MaxBody) is null) return ValidationResult.Error($"--max-body {MaxBody} is not a size such as 4MiB, 512KiB or 1048576.");
            return ToServeOptions().Problem() is { } problem ? ValidationResult.Error(problem) : base.Validate();
        }
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var options = settings.ToServeOptions();
        await using var server = await MnistServer.StartAsync(options, cancellationToken: cancellationToken);
        var model = server.Model;
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new { address = server.Address, model = options.ModelPath, sha256 = model.Sha256, labels = model.Labels }, JsonFiles.Options).ReplaceLineEndings(" "));
        }
        else
        {
            Console.Out.WriteLine($"Serving {options.ModelPath} ({model.Dataset ?? "unknown data set"}, {model.Labels.Count} classes, sha256 {model.Sha256[..12]}…) on {server.Address}");
            if (!settings.Quiet)
                Console.Out.WriteLine(options.MaxBatch > 1
                    ? $"Batching up to {options.MaxBatch} images, waiting at most {options.MaxDelay.TotalMilliseconds:0.#} ms; the model file is reloaded when it is replaced. Ctrl+C stops."
                    : "Batching off (--max-batch 1); the model file is reloaded when it is replaced. Ctrl+C stops.");
        }
        Console.Out.Flush();
        await server.WaitAsync(cancellationToken);
        if (!settings.Quiet)
        {
            var (batches, images) = server.Scored;
            Console.Error.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Stopped: requests in flight were answered. Scored {images:N0} image{(images == 1 ? "" : "s")} in {batches:N0} model call{(batches == 1 ? "" : "s")} ({(batches == 0 ? 0 : (double)images / batches):0.0#} images a call)."));
        }
        return ExitCodes.Success;
    }
}
