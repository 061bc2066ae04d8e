using System.Globalization;
using System.Net;

namespace MlNetMnist.Server;

/// <summary>
/// How <see cref="MnistServer"/> serves a model: where it listens, how it batches, how much it
/// accepts. Bound once (from <c>mnist serve</c>'s options or the server's own command line) and
/// checked by <see cref="Validate"/> before anything starts.
/// </summary>
public sealed record ServeOptions
{
    /// <summary>The default <see cref="MaxBodyBytes"/>: 4 MiB.</summary>
    public const long DefaultMaxBodyBytes = 4L * 1024 * 1024;

    /// <summary>The most images one <c>POST /predict/batch</c> may carry.</summary>
    public const int MaxImagesPerRequest = 256;

    /// <summary>The model file: a <c>model.zip</c> or a <c>model.onnx</c> exported by MlNetMnist. It is watched, and reloaded when replaced.</summary>
    public required string ModelPath { get; init; }

    /// <summary>The address to listen on: 127.0.0.1 (loopback only) unless told otherwise; <c>0.0.0.0</c> exposes the server.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The TCP port; 0 picks a free one (<see cref="MnistServer.Address"/> says which).</summary>
    public int Port { get; init; } = 5000;

    /// <summary>The most requests' images scored in one batch; 1 turns batching off (each request is scored on its own thread through the engine pool).</summary>
    public int MaxBatch { get; init; } = 64;

    /// <summary>How long a batch waits for more requests that are still arriving once the first is queued.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>The most images queued or being scored at once; more get 503 with <c>Retry-After</c>.</summary>
    public int MaxQueue { get; init; } = 1024;

    /// <summary>The largest request body accepted, in bytes; a larger one gets 413.</summary>
    public long MaxBodyBytes { get; init; } = DefaultMaxBodyBytes;

    /// <summary>ONNX Runtime intra-op threads per session (the engine pool's and every block scorer's, none spinning); null means 1, the fastest for one image per call on a shared machine.</summary>
    public int? Threads { get; init; }

    /// <summary>How often the model file is checked for a replacement, besides the file-system watcher (which some file systems never fire).</summary>
    public TimeSpan ReloadPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a stop waits for requests in flight before it cuts them off.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The first problem of these options as a sentence naming the option, or null when they are usable.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(ModelPath)) return "--model is required.";
        if (!IPAddress.TryParse(Host, out _) && Host != "localhost") return $"--host {Host} is not an IP address (127.0.0.1 for this machine only, 0.0.0.0 for every interface).";
        if (Port is < 0 or > 65535) return $"--port {Port} is outside 0–65535.";
        if (MaxBatch is < 1 or > MaxImagesPerRequest) return $"--max-batch {MaxBatch} is outside 1–{MaxImagesPerRequest}.";
        if (MaxDelay < TimeSpan.Zero || MaxDelay > TimeSpan.FromSeconds(1)) return $"--max-delay-ms {MaxDelay.TotalMilliseconds} is outside 0–1000.";
        if (MaxQueue < 1) return $"--max-queue {MaxQueue} must be at least 1.";
        if (MaxBodyBytes < 1024) return $"--max-body {MaxBodyBytes} bytes is below the least useful size, 1KiB.";
        if (Threads is < 1) return "--threads must be at least 1.";
        return null;
    }

    /// <summary>Throws when <see cref="Problem"/> finds one.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        if (Problem() is { } problem) throw new ArgumentException(problem);
    }

    /// <summary>
    /// Parses a size such as <c>4MiB</c>, <c>512KiB</c>, <c>1GiB</c> or a plain number of bytes
    /// (K, M, G, KB, MB and GB are read as the binary units too); null when it is not one.
    /// </summary>
    public static long? ParseSize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var trimmed = text.Trim();
        int digits = 0;
        while (digits < trimmed.Length && (char.IsDigit(trimmed[digits]) || trimmed[digits] == '.')) digits++;
        if (!double.TryParse(trimmed[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return null;
        long unit = trimmed[digits..].Trim().ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "K" or "KB" or "KIB" => 1024,
            "M" or "MB" or "MIB" => 1024 * 1024,
            "G" or "GB" or "GIB" => 1024 * 1024 * 1024,
            _ => 0,
        };
        double bytes = number * unit;
        return unit == 0 || bytes is < 1 or > long.MaxValue / 2 ? null : (long)bytes;
    }
}
