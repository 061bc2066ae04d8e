using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MlNetMnist.Pipelines;

namespace MlNetMnist.Server;

/// <summary>
/// Reloads the model when its file is replaced: a <see cref="FileSystemWatcher"/> on its folder
/// (which sees <c>mnist run</c>'s atomic rename) and a poll every <see cref="ServeOptions.ReloadPollInterval"/>
/// (for file systems that send no events) both wake one loop, which compares the file's size and
/// modification time with those of the last file it looked at and, when they changed, loads it.
/// A file that does not load (corrupt, half-written, not a model) is refused with a log line and the
/// old model keeps serving; it is tried again only once it changes again.
/// </summary>
internal sealed class ModelFileWatcher : IAsyncDisposable
{
    /// <summary>How long after a file-system event the file is looked at, so that a burst of events (a copy in progress) is one check.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(100);

    private readonly ModelHolder _holder;
    private readonly ILogger _logger;
    private readonly FileSystemWatcher? _watcher;
    private readonly Timer _poll;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private (long Length, DateTime Written)? _seen;

    /// <summary>Starts watching <paramref name="holder"/>'s file.</summary>
    public ModelFileWatcher(ModelHolder holder, TimeSpan pollInterval, ILogger logger)
    {
        _holder = holder;
        _logger = logger;
        _seen = Stamp();
        var full = Path.GetFullPath(holder.Path);
        try
        {
            _watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full))
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            _watcher.Changed += (_, _) => Wake();
            _watcher.Created += (_, _) => Wake();
            _watcher.Renamed += (_, _) => Wake();
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException)
        {
            _logger.LogWarning("Cannot watch {Folder} for changes ({Reason}); the model file is polled every {Seconds} s instead.", Path.GetDirectoryName(full), e.Message, pollInterval.TotalSeconds);
        }
        _poll = new Timer(_ => Wake(), null, pollInterval, pollInterval);
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Raised after a replacement is loaded and serving.</summary>
    public event Action<ModelDescription>? Reloaded;

    /// <summary>Raised with the reason when a replacement is refused.</summary>
    public event Action<string>? Refused;

    private void Wake() => _wake.Writer.TryWrite(true);

    private async Task LoopAsync()
    {
        try
        {
            while (await _wake.Reader.WaitToReadAsync(_stop.Token))
            {
                await Task.Delay(Settle, _stop.Token);
                while (_wake.Reader.TryRead(out _)) { }
                Check();
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private void Check()
    {
        var stamp = Stamp();
        if (stamp == _seen) return;
        _seen = stamp;
        var current = _holder.Current.Description;
        if (stamp is null)
        {
            _logger.LogWarning("The model file {Path} is gone; still serving generation {Generation} (sha256 {Hash}).", _holder.Path, current.Generation, current.Sha256);
            return;
        }
        try
        {
            var loaded = _holder.Reload();
            _logger.LogInformation("Reloaded {Path}: generation {Generation}, sha256 {Hash} (was {OldHash}).", _holder.Path, loaded.Generation, loaded.Sha256, current.Sha256);
            Reloaded?.Invoke(loaded);
        }
        catch (Exception e)
        {
            // ModelFormatException for a file that is not a usable model; anything else (a full temporary folder, ONNX Runtime) is refused the same way.
            var reason = e is ModelFormatException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            _logger.LogWarning("Refused the replacement of the model file: {Reason} Still serving generation {Generation} (sha256 {Hash}).", reason, current.Generation, current.Sha256);
            Refused?.Invoke(reason);
        }
    }

    private (long, DateTime)? Stamp()
    {
        var file = new FileInfo(_holder.Path);
        return file.Exists ? (file.Length, file.LastWriteTimeUtc) : null;
    }

    /// <summary>Stops watching and waits for a reload in progress.</summary>
    public async ValueTask DisposeAsync()
    {
        _watcher?.Dispose();
        await _poll.DisposeAsync();
        _stop.Cancel();
        await _loop;
        _stop.Dispose();
    }
}
