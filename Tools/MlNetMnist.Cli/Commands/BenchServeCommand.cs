using System.ComponentModel;
using System.Text.Json;
using MlNetMnist.Cli.Benchmarks;
using MlNetMnist.Cli.Output;
using MlNetMnist.Cli.Running;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli.Commands;

/// <summary><c>mnist bench serve</c>: the load benchmark of <c>mnist serve</c>, batching on and off, against raw ONNX Runtime.</summary>
public sealed class BenchServeCommand : AsyncCommand<BenchServeCommand.Settings>
{
    /// <summary>Options of <c>mnist bench serve</c>.</summary>
    public sealed class Settings : DataSettings
    {
        /// <summary>The model to serve; default: the default network trained one quick epoch.</summary>
        [CommandOption("-m|--model <FILE>")]
        [Description("The model to serve (model.zip or model.onnx). Default: the default network, trained for one quick epoch (its speed is what counts).")]
        public string? Model { get; init; }

        /// <summary>Seconds per cell of the table.</summary>
        [CommandOption("--seconds <S>")]
        [Description("Seconds of load per cell (body × concurrency × batching on/off), in 5 rounds alternating the two servers (1 with --quick). Default 5; 1 with --quick.")]
        public double? Seconds { get; init; }

        /// <summary>The batching server's <c>--max-batch</c>.</summary>
        [CommandOption("--max-batch <N>")]
        [Description("The batching server's --max-batch. Default 64 (mnist serve's).")]
        [DefaultValue(64)]
        public int MaxBatch { get; init; } = 64;

        /// <summary>The batching server's <c>--max-delay-ms</c>.</summary>
        [CommandOption("--max-delay-ms <MS>")]
        [Description("The batching server's --max-delay-ms. Default 2 (mnist serve's).")]
        [DefaultValue(2)]
        public int MaxDelayMilliseconds { get; init; } = 2;

        /// <summary>What drives the load.</summary>
        [CommandOption("--client <NAME>")]
        [Description("The load generator: wrk (a child wrk process, about half HttpClient's processor time per request, so the server gets more of the machine; runs whole seconds; Debian: apt-get install wrk), httpclient (.NET's HttpClient in this process), or auto (wrk when on the PATH). Default auto.")]
        [DefaultValue(LoadClient.Auto)]
        public LoadClient Client { get; init; } = LoadClient.Auto;

        /// <summary>A short run to check the benchmark works.</summary>
        [CommandOption("--quick")]
        [Description("One second per cell: checks the benchmark works; its figures are rough.")]
        public bool Quick { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate()
        {
            if (Seconds is < 0.2 or > 600) return ValidationResult.Error("--seconds must be from 0.2 to 600.");
            if (MaxBatch is < 2 or > 256 || MaxDelayMilliseconds is < 0 or > 1000) return ValidationResult.Error("--max-batch must be from 2 to 256 and --max-delay-ms from 0 to 1000.");
            if (Model is not null && !File.Exists(Model)) return ValidationResult.Error($"{Model}: model file not found.");
            return base.Validate();
        }
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var ui = ConsoleUiFactory.Create(settings);
        var client = LoadGenerators.Resolve(settings.Client); // before anything slow: a missing wrk is a usage error
        int rounds = settings.Quick ? 1 : 5;
        var data = await new Stages(ui).LoadDataAsync(settings, cancellationToken);
        var duration = TimeSpan.FromSeconds(settings.Seconds ?? (settings.Quick ? 1 : 5));
        var slice = LoadGenerators.Slice(client, duration, rounds);
        var model = settings.Model;
        var trained = model is null ? Path.Combine(Path.GetTempPath(), $"mlnetmnist-bench-serve-{Environment.ProcessId}.onnx") : null;
        var loadBefore = LoadAverage();
        try
        {
            if (trained is not null)
            {
                ui.Step("bench", "training the default network for one quick epoch to serve");
                BenchModel.Export(data, settings.Threads ?? Environment.ProcessorCount, trained);
                model = trained;
            }
            ui.Step("bench", $"two mnist serve children on 127.0.0.1 (--max-batch {settings.MaxBatch} --max-delay-ms {settings.MaxDelayMilliseconds}, and --max-batch 1); {slice.TotalSeconds * rounds:0.#} s per cell and server in {rounds} alternating rounds of {slice.TotalSeconds:0.##} s, concurrency {string.Join(", ", ServeBenchmark.Concurrencies)}, JSON and PNG bodies");
            using var load = LoadGenerators.Create(client);
            ui.Step("bench", $"load generator: {load.Name}");
            var (cells, references) = await ServeBenchmark.MeasureAsync(model!, data.Test, settings.Threads, ["--max-batch", settings.MaxBatch.ToString(), "--max-delay-ms", settings.MaxDelayMilliseconds.ToString()], load, slice, rounds, line => ui.Info(line), cancellationToken);
            Report(settings, load.Name, cells, references, loadBefore, LoadAverage());
            return ExitCodes.Success;
        }
        finally
        {
            if (trained is not null) File.Delete(trained);
        }
    }

    private static void Report(Settings settings, string client, List<ServeCell> cells, References references, string loadBefore, string loadAfter)
    {
        var (ort, floor) = (references.OrtBatch32ImagesPerSecond, references.HttpFloorRequestsPerSecond);
        LoadResult Cell(string body, int concurrency, bool batching) => cells.Single(c => c.Body == body && c.Concurrency == concurrency && c.Batching == batching).Result;
        var headline = Cell("json", 32, true);
        var figures = new Dictionary<string, object>
        {
            ["serveRequestsPerSecond"] = headline.RequestsPerSecond,
            ["serveP99Milliseconds"] = headline.P99Milliseconds,
            ["serveErrors"] = cells.Sum(c => c.Result.Errors),
            ["serveBatchingSpeedup"] = headline.RequestsPerSecond / Cell("json", 32, false).RequestsPerSecond,
            ["serveVsOrtRatio"] = headline.RequestsPerSecond / ort,
            ["serveOrtBatch32ImagesPerSecond"] = ort,
            ["serveOrtBatch1ImagesPerSecond"] = references.OrtBatch1ImagesPerSecond,
            ["serveOrtServedBatch32ImagesPerSecond"] = references.OrtServedBatch32ImagesPerSecond,
            ["serveBatchingCeiling"] = references.BatchingCeiling,
            ["serveVsOrtCeiling"] = references.VsOrtCeiling,
            ["serveHttpFloorRequestsPerSecond"] = floor,
            ["serveHttpFloorVsOrtRatio"] = floor / ort,
            ["serveConcurrency1P50Ratio"] = Cell("json", 1, true).P50Milliseconds / Cell("json", 1, false).P50Milliseconds,
            ["serveLoadAverage"] = $"{loadBefore} → {loadAfter}",
            ["serveLoadClient"] = client,
            ["serveCells"] = cells.Select(c => new
            {
                body = c.Body, concurrency = c.Concurrency, batching = c.Batching, requestsPerSecond = c.Result.RequestsPerSecond,
                p50Milliseconds = c.Result.P50Milliseconds, p95Milliseconds = c.Result.P95Milliseconds, p99Milliseconds = c.Result.P99Milliseconds, errors = c.Result.Errors,
                serverCpuMicroseconds = c.Result.ServerCpuMicroseconds, clientCpuMicroseconds = c.Result.ClientCpuMicroseconds,
            }).ToList(),
        };
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(figures, JsonFiles.Options).ReplaceLineEndings(" "));
            return;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumn("body").AddColumn(new TableColumn("clients").RightAligned()).AddColumn("batching")
            .AddColumn(new TableColumn("requests/s").RightAligned()).AddColumn(new TableColumn("p50 ms").RightAligned())
            .AddColumn(new TableColumn("p95 ms").RightAligned()).AddColumn(new TableColumn("p99 ms").RightAligned()).AddColumn(new TableColumn("errors").RightAligned())
            .AddColumn(new TableColumn("server CPU µs/req").RightAligned()).AddColumn(new TableColumn("client CPU µs/req").RightAligned());
        foreach (var c in cells)
            table.AddRow(c.Body, c.Concurrency.ToString(), c.Batching ? "on" : "off", $"{c.Result.RequestsPerSecond:N0}", $"{c.Result.P50Milliseconds:F2}",
                $"{c.Result.P95Milliseconds:F2}", $"{c.Result.P99Milliseconds:F2}", c.Result.Errors.ToString(),
                $"{c.Result.ServerCpuMicroseconds:F0}", $"{c.Result.ClientCpuMicroseconds:F0}");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated($"At 32 clients (JSON): batching {figures["serveBatchingSpeedup"]:F2}× the unbatched requests/s; served {headline.RequestsPerSecond:N0} requests/s = {figures["serveVsOrtRatio"]:F2} of raw ONNX Runtime at batch 32 ({ort:N0} images/s). At 1 client batching's p50 is {figures["serveConcurrency1P50Ratio"]:F2}× the unbatched one.");
        AnsiConsole.MarkupLineInterpolated($"Ceilings in this run (a server that adds nothing to the HTTP floor and the model): batching {references.BatchingCeiling:F2}× (raw ONNX Runtime as the servers score: {references.OrtBatch1ImagesPerSecond:N0} images/s one per call, {references.OrtServedBatch32ImagesPerSecond:N0} in batches of 32; {ort:N0} at batch 32 on {settings.Threads ?? Environment.ProcessorCount} threads), vs ONNX Runtime {references.VsOrtCeiling:F2}.");
        AnsiConsole.MarkupLineInterpolated($"HTTP floor (a bare Kestrel endpoint in this process that reads the body and sends a fixed answer, 32 clients, JSON): {floor:N0} requests/s = {figures["serveHttpFloorVsOrtRatio"]:F2} of raw ONNX Runtime: about the most any server can answer here with this load generator ({client}) beside it.");
        AnsiConsole.MarkupLineInterpolated($"Load average (1, 5, 15 min) before → after: {figures["serveLoadAverage"]}.");
    }

    private static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
    }
}
