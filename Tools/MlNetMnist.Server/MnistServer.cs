using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MlNetMnist.Server;

/// <summary>
/// The prediction web service: an ASP.NET Core minimal API over one <see cref="MlNetMnist.Pipelines.MnistModel"/>
/// (<c>POST /predict</c>, <c>POST /predict/batch</c>, <c>GET /model</c>, <c>GET /healthz</c>,
/// <c>GET /openapi/v1.json</c>, the drawing page at <c>GET /</c>), with request batching and model
/// reload. Start it with <see cref="StartAsync"/>; <see cref="DisposeAsync"/> stops taking requests,
/// lets those in flight finish, then releases the model.
/// </summary>
public sealed class MnistServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ModelHolder _holder;
    private readonly ScoringQueue _queue;
    private readonly ModelFileWatcher _watcher;
    private int _stopped;

    private MnistServer(WebApplication app, ModelHolder holder, ScoringQueue queue, ModelFileWatcher watcher, ServeOptions options, Uri address)
    {
        _app = app;
        _holder = holder;
        _queue = queue;
        _watcher = watcher;
        Options = options;
        Address = address;
    }

    /// <summary>The options the server runs with.</summary>
    public ServeOptions Options { get; }

    /// <summary>The address it listens on, with the port actually bound (also when <see cref="ServeOptions.Port"/> was 0).</summary>
    public Uri Address { get; }

    /// <summary>The model being served now.</summary>
    public ModelDescription Model => _holder.Current.Description;

    /// <summary>Raised after a replaced model file is loaded and serving.</summary>
    public event Action<ModelDescription>? ModelReloaded
    {
        add => _watcher.Reloaded += value;
        remove => _watcher.Reloaded -= value;
    }

    /// <summary>Raised with the reason when a replaced model file is refused (the old model keeps serving).</summary>
    public event Action<string>? ReloadRefused
    {
        add => _watcher.Refused += value;
        remove => _watcher.Refused -= value;
    }

    internal ModelHolder Holder => _holder;

    internal ScoringQueue Queue => _queue;

    /// <summary>What has been scored so far: model calls (a batch, or a request scored alone) and the images in them.</summary>
    public (long Batches, long Images) Scored => _queue.Scored;

    /// <summary>Loads the model and starts listening.</summary>
    /// <param name="options">How to serve; checked first.</param>
    /// <param name="logging">Adds logging providers; null logs to the console.</param>
    /// <param name="cancellationToken">Stops a start in progress.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="MlNetMnist.Pipelines.ModelFormatException">The model file is missing, corrupt, or not a model of this project.</exception>
    /// <exception cref="ServerStartException">The address cannot be listened on (the port is in use, the host is not this machine's).</exception>
    public static async Task<MnistServer> StartAsync(ServeOptions options, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var holder = new ModelHolder(options.ModelPath, options.MaxBatch, options.Threads);
        var queue = new ScoringQueue(options.MaxBatch, options.MaxDelay, options.MaxQueue);
        WebApplication? app = null;
        ModelFileWatcher? watcher = null;
        try
        {
            app = Build(options, holder, queue, logging);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException e)
            {
                throw new ServerStartException($"cannot listen on http://{options.Host}:{options.Port}: {ServerStartException.Reason(e)}", e);
            }
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            watcher = new ModelFileWatcher(holder, options.ReloadPollInterval, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MlNetMnist.Server.Reload"));
            return new MnistServer(app, holder, queue, watcher, options, address);
        }
        catch
        {
            if (watcher is not null) await watcher.DisposeAsync();
            if (app is not null) await app.DisposeAsync();
            await queue.DisposeAsync();
            holder.Dispose();
            throw;
        }
    }

    /// <summary>Serves until <paramref name="stop"/> is cancelled (Ctrl+C, SIGTERM), then drains and stops.</summary>
    public async Task WaitAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        await DisposeAsync();
    }

    private static WebApplication Build(ServeOptions options, ModelHolder holder, ScoringQueue queue, Action<ILoggingBuilder>? logging)
    {
        // Production always: no developer exception page, so no stack trace ever reaches a client.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, Args = [] });
        builder.Logging.ClearProviders();
        if (logging is null)
        {
            // Log lines go to standard error: standard output is the caller's (mnist serve --json prints there).
            builder.Logging.AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss "; });
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        else logging(builder.Logging);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None); // a failed bind is reported by StartAsync as one line, without this stack trace
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            if (options.Host == "localhost") kestrel.ListenLocalhost(options.Port);
            else kestrel.Listen(IPAddress.Parse(options.Host), options.Port);
        });
        builder.Services.AddSingleton(holder);
        builder.Services.AddSingleton(queue);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks().AddCheck("model", () =>
        {
            var model = holder.Current;
            return model.IsReleased
                ? HealthCheckResult.Unhealthy("no model loaded")
                : HealthCheckResult.Healthy($"{model.Description.Name}, generation {model.Description.Generation}, sha256 {model.Description.Sha256}");
        });

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        app.MapHealthChecks("/healthz");
        app.MapGet("/model", (ModelHolder models) => TypedResults.Ok(models.Current.Description))
            .WithSummary("The model being served: name, data set, labels, input shape, architecture, accuracy, file hash.");
        PredictEndpoints.Map(app);
        DrawingPage.Map(app);
        return app;
    }

    /// <summary>Stops taking requests, lets those in flight finish (up to <see cref="ServeOptions.ShutdownTimeout"/>), then releases the model. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        await _watcher.DisposeAsync();
        await _app.StopAsync();
        await _queue.DisposeAsync();
        await _app.DisposeAsync();
        _holder.Dispose();
    }
}
