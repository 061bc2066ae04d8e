using System.Diagnostics;
using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Training;

namespace MlNetMnist.Cli.Output;

/// <summary>Progress as plain lines, for logs and pipes (CI output stays readable); silent with --quiet.</summary>
public sealed class PlainConsoleUi(TextWriter writer, bool quiet) : IConsoleUi
{
    private void Line(string text)
    {
        if (!quiet) writer.WriteLine(text);
    }

    /// <inheritdoc />
    public void Step(string name, string detail) => Line($"[{name}] {detail}");

    /// <inheritdoc />
    public void Info(string text) => Line("  " + text);

    /// <inheritdoc />
    public void Notice(string text) => writer.WriteLine("notice: " + text);

    /// <inheritdoc />
    public Task<T> DownloadAsync<T>(Func<IProgress<DownloadProgress>, Task<T>> work)
    {
        var lastDecile = new Dictionary<string, long>();
        return work(new InlineProgress<DownloadProgress>(p =>
        {
            if (p.TotalBytes is not long total || total == 0) return;
            long decile = p.BytesReceived * 10 / total;
            if (lastDecile.GetValueOrDefault(p.FileName, -1) == decile) return;
            lastDecile[p.FileName] = decile;
            Line($"  {p.FileName}: {p.BytesReceived / 1024:N0} of {total / 1024:N0} KiB from {p.Source.Host}");
        }));
    }

    /// <inheritdoc />
    public T Decode<T>(Func<IProgress<DecodeProgress>, T> work)
    {
        int lastDecile = -1;
        return work(new InlineProgress<DecodeProgress>(p =>
        {
            int decile = p.Total == 0 ? 10 : (int)(p.Done * 10L / p.Total);
            if (decile == lastDecile) return;
            lastDecile = decile;
            Line($"  {(p.FromCache ? "read from the cache" : "decoded")} {p.Done:N0} of {p.Total:N0} images");
        }));
    }

    /// <inheritdoc />
    public T Train<T>(int epochs, int firstEpoch, Func<ITrainingObserver, T> work) => work(new Observer(this, epochs));

    /// <inheritdoc />
    public T Scan<T>(string what, int total, Func<IProgress<int>, T> work)
    {
        var clock = Stopwatch.StartNew();
        var result = work(new InlineProgress<int>(_ => { }));
        Line($"  {what}: {total:N0} images in {clock.Elapsed.TotalSeconds:F1} s ({total / clock.Elapsed.TotalSeconds:N0} images/s)");
        return result;
    }

    private sealed class Observer(PlainConsoleUi ui, int epochs) : ITrainingObserver
    {
        private int _lastQuarter = -1;

        public void OnBatch(BatchProgress p)
        {
            int quarter = p.Batch * 4 / p.Batches;
            if (quarter == _lastQuarter || quarter == 4) return;
            _lastQuarter = quarter;
            if (quarter > 0)
                ui.Line($"  epoch {p.Epoch}/{epochs}: {p.Batch}/{p.Batches} batches, loss {p.Loss:F4}, accuracy {p.Accuracy:P2}, {p.ImagesPerSecond:N0} images/s");
        }

        public void OnEpoch(EpochResult e)
        {
            _lastQuarter = -1;
            ui.Line($"  epoch {e.Epoch}/{epochs}: loss {e.TrainLoss:F4}, accuracy {e.TrainAccuracy:P2}, validation {e.ValidationAccuracy:P2} (loss {e.ValidationLoss:F4}), lr {e.LearningRate:G3}, {e.ImagesPerSecond:N0} images/s, {e.Seconds:F1} s");
        }
    }
}
