namespace MlNetMnist.Server;

/// <summary>
/// The current model generation, swapped atomically on reload. Requests lease the current
/// generation (<see cref="Lease"/>); a swap drops the holder's own reference to the old one, which
/// is released when its last lease ends. <see cref="LiveGenerations"/> counts those not yet released,
/// so a leak shows.
/// </summary>
internal sealed class ModelHolder : IDisposable
{
    private ServedModel _current;
    private int _live;
    private int _generations;
    private bool _disposed;

    /// <summary>Loads the first generation from <paramref name="path"/>.</summary>
    /// <exception cref="MlNetMnist.Pipelines.ModelFormatException">The model cannot be loaded.</exception>
    public ModelHolder(string path, int maxBatch, int? threads)
    {
        Path = path;
        MaxBatch = maxBatch;
        Threads = threads;
        _current = LoadGeneration();
    }

    /// <summary>The model file.</summary>
    public string Path { get; }

    private int MaxBatch { get; }

    private int? Threads { get; }

    /// <summary>The generation new requests get.</summary>
    public ServedModel Current => Volatile.Read(ref _current);

    /// <summary>Generations loaded and not yet released (1 when no request holds an old one).</summary>
    public int LiveGenerations => Volatile.Read(ref _live);

    /// <summary>A lease on the current generation.</summary>
    public ModelLease Lease()
    {
        while (true)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var model = Current;
            if (model.TryAcquire()) return new ModelLease(model);
            // Swapped and released between the read and the acquire: read the new one.
        }
    }

    /// <summary>Loads the file again and makes it current; the old generation is released after its last request.</summary>
    /// <exception cref="MlNetMnist.Pipelines.ModelFormatException">The new file cannot be loaded; the old generation stays current.</exception>
    public ModelDescription Reload()
    {
        var next = LoadGeneration();
        Interlocked.Exchange(ref _current, next).Release();
        return next.Description;
    }

    private ServedModel LoadGeneration()
    {
        // One load at a time (the constructor, then the watcher's single loop): a refused file takes no generation number.
        var model = ServedModel.Load(Path, MaxBatch, Threads, _generations + 1, _ =>
        {
            Interlocked.Decrement(ref _live);
            ThreadPool.UnsafeQueueUserWorkItem(_ => Reclaim(), null);
        });
        _generations++;
        Interlocked.Increment(ref _live);
        return model;
    }

    /// <summary>
    /// After a generation's release (its sessions are disposed then): a full collection, so that
    /// what ML.NET and ONNX Runtime keep behind finalizable wrappers goes now, not at the next
    /// gen-2 collection, which a busy server with a steady heap may not need for minutes; memory
    /// then stays flat across reloads. Once per reload, off the request threads.
    /// </summary>
    private static void Reclaim()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>Drops the holder's reference to the current generation.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Current.Release();
    }
}
