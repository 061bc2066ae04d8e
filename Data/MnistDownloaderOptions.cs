namespace MlNetMnist.Data;

/// <summary>How <see cref="MnistDownloader"/> fetches files.</summary>
public sealed class MnistDownloaderOptions
{
    /// <summary>Base URLs tried in order; each serves the catalog's file names. HTTPS only, except on loopback addresses.</summary>
    public IReadOnlyList<Uri> Mirrors { get; init; } = MnistCatalog.Mirrors;

    /// <summary>Attempts per mirror for transient failures (server errors, dropped connections, stalls).</summary>
    public int AttemptsPerMirror { get; init; } = 3;

    /// <summary>Wait before the second attempt; doubled for each further attempt.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A response that delivers no byte for this long is abandoned as stalled.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
