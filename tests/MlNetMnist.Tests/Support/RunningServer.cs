using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MlNetMnist.Pipelines;
using MlNetMnist.Server;

namespace MlNetMnist.Tests.Support;

/// <summary>
/// The real server (<see cref="MnistServer"/>, Kestrel on a free 127.0.0.1 port) in this process,
/// serving its own copy of the test model, with an <see cref="HttpClient"/> aimed at it and every
/// log line it writes.
/// </summary>
public sealed class RunningServer : IAsyncDisposable
{
    private static readonly Lazy<string> ModelZip = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), "mlnetmnist-tests", $"served-{Guid.NewGuid():N}", "model.zip");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var model = MnistModel.FromOnnx(TrainedModel.OnnxPath);
        model.Save(path);
        return path;
    });

    private readonly TempDirectory _folder;

    private RunningServer(MnistServer server, TempDirectory folder, ConcurrentQueue<string> log)
    {
        Server = server;
        _folder = folder;
        Log = log;
        Client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>The test model as a model.zip (shared: copy it before changing it).</summary>
    public static string ModelZipPath => ModelZip.Value;

    /// <summary>The server.</summary>
    public MnistServer Server { get; }

    /// <summary>A client whose base address is the server's.</summary>
    public HttpClient Client { get; }

    /// <summary>The model file the server watches (this server's own copy).</summary>
    public string ModelPath => Server.Options.ModelPath;

    /// <summary>The folder holding <see cref="ModelPath"/>.</summary>
    public TempDirectory Folder => _folder;

    /// <summary>Every log line so far, "Level Category: message".</summary>
    public ConcurrentQueue<string> Log { get; }

    /// <summary>Starts a server on a copy of <paramref name="model"/> (the test model.zip by default) with <paramref name="configure"/>'s options.</summary>
    public static async Task<RunningServer> StartAsync(Func<ServeOptions, ServeOptions>? configure = null, string? model = null, string fileName = "model.zip")
    {
        var folder = new TempDirectory();
        File.Copy(model ?? ModelZipPath, folder.File(fileName));
        var options = new ServeOptions { ModelPath = folder.File(fileName), Port = 0, ReloadPollInterval = TimeSpan.FromMilliseconds(250) };
        options = configure?.Invoke(options) ?? options;
        var log = new ConcurrentQueue<string>();
        try
        {
            var server = await MnistServer.StartAsync(options, logging => logging.AddProvider(new ListLoggerProvider(log)));
            return new RunningServer(server, folder, log);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>POSTs <paramref name="body"/> as JSON (serialized with camelCase names) to <paramref name="path"/>.</summary>
    public Task<HttpResponseMessage> PostJsonAsync(string path, object body)
        => PostAsync(path, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body, JsonSerializerOptions.Web)), "application/json");

    /// <summary>POSTs raw bytes with a content type (none when null).</summary>
    public Task<HttpResponseMessage> PostAsync(string path, byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return Client.PostAsync(path, content);
    }

    /// <summary>One MNIST test image as the pixels the JSON endpoints take.</summary>
    public static float[] TestPixels(int index) => DigitInput.FromBytes(RealMnist.DataSet.Test.Image(index)).Pixels;

    /// <summary>Replaces the served file the way mnist run does: the new bytes are written beside it and renamed over it.</summary>
    public void ReplaceModel(byte[] bytes)
    {
        var temporary = ModelPath + $".{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, ModelPath, overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        _folder.Dispose();
    }

    private sealed class ListLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(categoryName, lines);

        public void Dispose() { }
    }

    private sealed class ListLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " | " + exception)}");
    }
}
