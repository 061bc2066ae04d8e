using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Training;
using Spectre.Console;

namespace MlNetMnist.Cli.Output;

/// <summary>Live progress bars on an interactive terminal, with Spectre.Console.</summary>
public sealed class SpectreConsoleUi(IAnsiConsole console) : IConsoleUi
{
    private Progress NewProgress() => console.Progress()
        .AutoClear(false)
        .HideCompleted(false)
        .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                 new ElapsedTimeColumn(), new RemainingTimeColumn());

    /// <inheritdoc />
    public void Step(string name, string detail) => console.MarkupLineInterpolated($"[bold blue]{name,-8}[/] {detail}");

    /// <inheritdoc />
    public void Info(string text) => console.MarkupLineInterpolated($"         [grey]{text}[/]");

    /// <inheritdoc />
    public void Notice(string text) => console.MarkupLineInterpolated($"[yellow]notice[/]   {text}");

    /// <inheritdoc />
    public Task<T> DownloadAsync<T>(Func<IProgress<DownloadProgress>, Task<T>> work)
        => NewProgress().StartAsync(async context =>
        {
            var tasks = new Dictionary<string, ProgressTask>();
            return await work(new InlineProgress<DownloadProgress>(p =>
            {
                if (!tasks.TryGetValue(p.FileName, out var task))
                    tasks[p.FileName] = task = context.AddTask(p.FileName, maxValue: p.TotalBytes ?? 1);
                if (p.TotalBytes is long total) task.MaxValue = total;
                task.Value = p.BytesReceived;
            }));
        });

    /// <inheritdoc />
    public T Decode<T>(Func<IProgress<DecodeProgress>, T> work)
        => NewProgress().Start(context =>
        {
            ProgressTask? task = null;
            return work(new InlineProgress<DecodeProgress>(p =>
            {
                task ??= context.AddTask(p.FromCache ? "images (cached)" : "decoding images", maxValue: Math.Max(1, p.Total));
                task.Value = p.Done;
            }));
        });

    /// <inheritdoc />
    public T Train<T>(int epochs, int firstEpoch, Func<ITrainingObserver, T> work)
        => NewProgress().Start(context => work(new Observer(context, epochs)));

    /// <inheritdoc />
    public T Scan<T>(string what, int total, Func<IProgress<int>, T> work)
        => NewProgress().Start(context =>
        {
            var task = context.AddTask(what, maxValue: total);
            var result = work(new InlineProgress<int>(n => task.Value = n));
            task.Value = total;
            return result;
        });

    private sealed class Observer(ProgressContext context, int epochs) : ITrainingObserver
    {
        private ProgressTask? _task;
        private int _epoch;

        public void OnBatch(BatchProgress p)
        {
            if (_task is null || _epoch != p.Epoch)
            {
                _epoch = p.Epoch;
                _task = context.AddTask($"epoch {p.Epoch}/{epochs}", maxValue: p.Batches);
            }
            _task.Value = p.Batch;
            _task.Description = Markup.Escape($"epoch {p.Epoch}/{epochs}  loss {p.Loss:F4}  acc {p.Accuracy:P2}  {p.ImagesPerSecond:N0} img/s");
        }

        public void OnEpoch(EpochResult e)
        {
            if (_task is null) return;
            _task.Description = Markup.Escape($"epoch {e.Epoch}/{epochs}  loss {e.TrainLoss:F4}  acc {e.TrainAccuracy:P2}  val {e.ValidationAccuracy:P2}  {e.ImagesPerSecond:N0} img/s");
            _task.StopTask();
        }
    }
}
