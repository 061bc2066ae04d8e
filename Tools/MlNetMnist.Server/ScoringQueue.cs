using System.Threading.Channels;

namespace MlNetMnist.Server;

/// <summary>
/// Gathers concurrent requests into batches, up to <see cref="ServedModel.ConcurrentBatches"/> (one
/// per core) scored at once. A request that finds a scorer free leads: it takes
/// what is queued too (up to <see cref="ServeOptions.MaxBatch"/> images), scores it all on its own
/// thread and completes the others; alone, its one image goes through the engine pool as without
/// batching, so a lone request neither waits, nor changes threads, nor takes another path.
/// Requests that come while every scorer is busy are queued on a bounded channel; when no request
/// comes to lead them, one background loop takes everything queued (up to <c>MaxBatch</c> images), waits up to
/// <see cref="ServeOptions.MaxDelay"/> for requests that are still arriving (their bodies being
/// read), scores the batch through the ML.NET batched path as soon as a scorer is free, and
/// completes each request's task. With <c>MaxBatch</c> 1 there is no loop: each request is scored
/// on its own thread through the engine pool. Either way, at most <see cref="ServeOptions.MaxQueue"/>
/// images wait or are scored at once; more are refused (503).
/// </summary>
internal sealed class ScoringQueue : IAsyncDisposable
{
    private readonly Channel<WorkItem> _channel;
    private readonly int _maxBatch, _maxQueue;
    private readonly TimeSpan _maxDelay;
    private readonly Task? _loop;
    private int _pendingImages, _arriving;
    private long _batches, _scoredImages;
    private volatile TaskCompletionSource? _paused;
    private readonly SemaphoreSlim _scorer = new(ServedModel.ConcurrentBatches, ServedModel.ConcurrentBatches); // batches scored at once: inline or the loop's

    private sealed record WorkItem(ServedModel Model, float[][] Images, TaskCompletionSource<List<float[]>> Done);

    /// <summary>Starts the batching loop (unless <paramref name="maxBatch"/> is 1).</summary>
    public ScoringQueue(int maxBatch, TimeSpan maxDelay, int maxQueue)
    {
        _maxBatch = maxBatch;
        _maxDelay = maxDelay;
        _maxQueue = maxQueue;
        _channel = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(maxQueue) { SingleReader = false, FullMode = BoundedChannelFullMode.Wait });
        if (maxBatch > 1) _loop = Task.Run(LoopAsync);
    }

    /// <summary>Batches scored so far (a request scored alone counts as one), and the images in them.</summary>
    public (long Batches, long Images) Scored => (Interlocked.Read(ref _batches), Interlocked.Read(ref _scoredImages));

    /// <summary>Images queued or being scored now.</summary>
    internal int Pending => Volatile.Read(ref _pendingImages);

    /// <summary>Marks a request whose body is still being read, so that a forming batch may wait for it; dispose when it is queued or refused.</summary>
    public Arrival Arrive()
    {
        Interlocked.Increment(ref _arriving);
        return new Arrival(this);
    }

    /// <summary>A request on its way to the queue.</summary>
    public sealed class Arrival(ScoringQueue queue) : IDisposable
    {
        private int _done;

        /// <summary>The request is queued, refused or failed: it is no longer arriving.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) Interlocked.Decrement(ref queue._arriving);
        }
    }

    /// <summary>
    /// Scores validated <paramref name="images"/> on <paramref name="model"/>: false (and no task)
    /// when the queue has no room for them, which the caller answers with 503.
    /// </summary>
    public bool TryScore(ServedModel model, float[][] images, out Task<List<float[]>> scores)
    {
        if (Interlocked.Add(ref _pendingImages, images.Length) > _maxQueue)
        {
            Interlocked.Add(ref _pendingImages, -images.Length);
            scores = Task.FromResult<List<float[]>>([]);
            return false;
        }
        if (_loop is null) // without batching: scored at once, on this thread
        {
            try
            {
                scores = Task.FromResult(images.Length == 1 ? [model.ScoreOne(images[0])] : model.ScoreBatch(images));
                Count(1, images.Length);
            }
            finally
            {
                Interlocked.Add(ref _pendingImages, -images.Length);
            }
            return true;
        }
        if (_paused is null && _scorer.Wait(0))
        {
            // A scorer is free: this request leads. It takes what is queued too and scores it all on
            // its own thread; alone, one image goes through the engine pool, as without batching.
            var batch = new List<WorkItem>();
            int taken = images.Length;
            try
            {
                while (taken < _maxBatch && _channel.Reader.TryRead(out var queued)) taken += Add(batch, queued);
                if (batch.Count == 0)
                {
                    scores = Task.FromResult(images.Length == 1 ? [model.ScoreOne(images[0])] : model.ScoreBatch(images));
                }
                else
                {
                    var mine = new WorkItem(model, images, new TaskCompletionSource<List<float[]>>(TaskCreationOptions.RunContinuationsAsynchronously));
                    batch.Add(mine);
                    Score(batch);
                    scores = mine.Done.Task;
                }
                Count(1, taken);
            }
            finally
            {
                _scorer.Release();
                Interlocked.Add(ref _pendingImages, -taken);
            }
            return true;
        }
        var item = new WorkItem(model, images, new TaskCompletionSource<List<float[]>>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_channel.Writer.TryWrite(item)) // full by count (cannot happen: items ≤ images ≤ capacity) or completed (stopping)
        {
            Interlocked.Add(ref _pendingImages, -images.Length);
            scores = Task.FromResult<List<float[]>>([]);
            return false;
        }
        scores = item.Done.Task;
        return true;
    }

    /// <summary>Holds the loop before its next batch until the returned handle is disposed: lets a test fill the queue.</summary>
    internal IDisposable Pause()
    {
        _paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return new Resume(this);
    }

    private sealed class Resume(ScoringQueue queue) : IDisposable
    {
        public void Dispose()
        {
            var paused = queue._paused;
            queue._paused = null;
            paused?.TrySetResult();
        }
    }

    private async Task LoopAsync()
    {
        var reader = _channel.Reader;
        var batch = new List<WorkItem>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (_paused is { } paused) await paused.Task.ConfigureAwait(false);
            int images = 0;
            while (images < _maxBatch && reader.TryRead(out var item)) images += Add(batch, item);
            if (images < _maxBatch && _maxDelay > TimeSpan.Zero && Volatile.Read(ref _arriving) > 0)
            {
                using var delay = new CancellationTokenSource(_maxDelay);
                try
                {
                    while (images < _maxBatch && Volatile.Read(ref _arriving) > 0)
                    {
                        if (reader.TryRead(out var item)) images += Add(batch, item);
                        else await reader.WaitToReadAsync(delay.Token).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (delay.IsCancellationRequested)
                {
                    // the delay is over: score what has come
                }
            }
            if (batch.Count == 0) continue;
            await _scorer.WaitAsync().ConfigureAwait(false);
            try
            {
                Score(batch);
            }
            finally
            {
                _scorer.Release();
            }
            Interlocked.Add(ref _pendingImages, -images);
            Count(1, images);
            batch.Clear();
        }
    }

    private static int Add(List<WorkItem> batch, WorkItem item)
    {
        batch.Add(item);
        return item.Images.Length;
    }

    /// <summary>Scores the batch, model generation by generation (a reload may fall between two requests), and completes each request.</summary>
    private static void Score(List<WorkItem> batch)
    {
        foreach (var group in batch.GroupBy(item => item.Model))
        {
            var items = group.ToList();
            try
            {
                var scores = group.Key.ScoreBatch([.. items.SelectMany(item => item.Images)]);
                int next = 0;
                foreach (var item in items)
                {
                    item.Done.TrySetResult(scores.GetRange(next, item.Images.Length));
                    next += item.Images.Length;
                }
            }
            catch (Exception e)
            {
                foreach (var item in items) item.Done.TrySetException(e); // each request reports it (500, no details to the client)
            }
        }
    }

    private void Count(long batches, long images)
    {
        Interlocked.Add(ref _batches, batches);
        Interlocked.Add(ref _scoredImages, images);
    }

    /// <summary>Stops taking requests and scores what is queued.</summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        _paused?.TrySetResult();
        if (_loop is not null) await _loop.ConfigureAwait(false);
        _scorer.Dispose();
    }
}
