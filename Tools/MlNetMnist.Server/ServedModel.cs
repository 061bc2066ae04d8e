using System.Security.Cryptography;
using MlNetMnist.Pipelines;
using MlNetMnist.Pipelines.Batching;

namespace MlNetMnist.Server;

/// <summary>
/// One loaded generation of the served model: the <see cref="MnistModel"/>, its engine pool (the
/// unbatched path) and its block scorers (the batched path), with a reference count. The
/// <see cref="ModelHolder"/> holds one reference while the generation is current and every request
/// holds one while it runs (<see cref="ModelLease"/>); the native sessions are released when the
/// last reference goes, so requests in flight during a reload finish on the model they started with.
/// </summary>
internal sealed class ServedModel
{
    private readonly BatchedScorer[] _scorers; // largest block first; each thread-safe over one session
    private readonly SemaphoreSlim _free = new(ConcurrentBatches, ConcurrentBatches); // batches scored at once
    private int _peakBatches;
    private readonly Action<ServedModel>? _released;
    private int _references = 1;

    private ServedModel(MnistModel model, BatchedScorer[] scorers, ModelDescription description, Action<ServedModel>? released)
    {
        Model = model;
        _scorers = scorers;
        Description = description;
        _released = released;
        Pool = model.TakesImageFiles ? null : model.CreatePool();
    }

    /// <summary>
    /// Batches scored at the same time, each on its own engines over the shared sessions: one per core,
    /// so that the model is never confined to one core while the others wait (<see cref="ScoringQueue"/> keeps to it).
    /// </summary>
    public static int ConcurrentBatches { get; } = Environment.ProcessorCount;

    /// <summary>The most batches this generation has scored at the same time (tests read it).</summary>
    internal int PeakConcurrentBatches => Volatile.Read(ref _peakBatches);

    /// <summary>The model.</summary>
    public MnistModel Model { get; }

    /// <summary>The engine pool of a pixel model (null for an image-folder model, whose <c>model.zip</c> takes file paths).</summary>
    public DigitPredictionEnginePool? Pool { get; }

    /// <summary>What <c>GET /model</c> shows.</summary>
    public ModelDescription Description { get; }

    /// <summary>True once the last reference is gone and the sessions are released.</summary>
    public bool IsReleased => Volatile.Read(ref _references) == 0;

    /// <summary>
    /// Loads the model file at <paramref name="path"/> from a private snapshot (so the hash and the
    /// model are of the same bytes, whatever replaces the file meanwhile), with block scorers of 1, 2,
    /// 4, … up to <paramref name="maxBatch"/> images when batching is on. Every session (the engine
    /// pool's and the block scorers') runs on one ONNX Runtime thread unless <paramref name="threads"/>
    /// says otherwise, and never spins: the cores are the request threads', each scoring on its own
    /// (one image costs ≈ 44 µs on one thread and more, in time and in processor time, on two).
    /// </summary>
    /// <exception cref="ModelFormatException">The file is missing, corrupt, or not a model of this project.</exception>
    public static ServedModel Load(string path, int maxBatch, int? threads, int generation, Action<ServedModel>? released = null)
    {
        var snapshot = Path.Combine(Path.GetTempPath(), $"mlnetmnist-serve-{Environment.ProcessId}-{Guid.NewGuid():N}.model");
        try
        {
            string sha256;
            try
            {
                File.Copy(path, snapshot);
                using var stream = File.OpenRead(snapshot);
                sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ModelFormatException(path, File.Exists(path) ? $"could not be read ({e.Message})." : "model file not found.", e);
            }
            MnistModel model;
            try
            {
                model = MnistModel.Open(snapshot, threads ?? 1, spinning: false);
            }
            catch (ModelFormatException e)
            {
                throw new ModelFormatException(path, e.Problem, e); // named as the user knows it, not as the snapshot
            }
            var scorers = new List<BatchedScorer>();
            try
            {
                bool batched = maxBatch > 1 || model.TakesImageFiles; // an image-folder model has no engine pool: block 1 is its unbatched path
                for (int size = 1; batched && size < maxBatch * 2; size *= 2)
                    scorers.Add(new BatchedScorer(model, Math.Min(size, maxBatch), threads ?? 1, spinning: false));
                scorers.Reverse();
                return new ServedModel(model, [.. scorers.DistinctBy(s => s.BlockSize)], ModelDescription.Of(model, path, sha256, generation), released);
            }
            catch
            {
                foreach (var scorer in scorers) scorer.Dispose();
                model.Dispose();
                throw;
            }
        }
        finally
        {
            try { File.Delete(snapshot); }
            catch (IOException) { } // only a temporary copy; the model holds what it needs
        }
    }

    /// <summary>Takes a reference unless the generation is already released.</summary>
    public bool TryAcquire()
    {
        for (int count = Volatile.Read(ref _references); count > 0; count = Volatile.Read(ref _references))
            if (Interlocked.CompareExchange(ref _references, count + 1, count) == count) return true;
        return false;
    }

    /// <summary>Gives a reference back; the last one releases the sessions.</summary>
    public void Release()
    {
        int left = Interlocked.Decrement(ref _references);
        if (left > 0) return;
        if (left < 0) throw new InvalidOperationException("A served model was released more often than it was acquired.");
        Pool?.Dispose();
        foreach (var scorer in _scorers) scorer.Dispose();
        _free.Dispose();
        Model.Dispose();
        _released?.Invoke(this);
    }

    /// <summary>
    /// The class probabilities of each image (raw C·H·W values), through the ML.NET batched path:
    /// the images are cut into the largest blocks that fit (64 + 32 + 4 for 100 images at
    /// <c>--max-batch 64</c>), so no ONNX Runtime call scores padding. Up to <see cref="ConcurrentBatches"/> callers at once.
    /// </summary>
    public List<float[]> ScoreBatch(IReadOnlyList<float[]> images)
    {
        if (_scorers.Length == 0) return [.. images.Select(ScoreOne)];
        var all = images as float[][] ?? [.. images];
        var result = new List<float[]>(all.Length);
        Enter();
        try
        {
            for (int start = 0; start < all.Length;)
            {
                int left = all.Length - start;
                var scorer = _scorers.First(s => s.BlockSize <= left);
                int take = left / scorer.BlockSize * scorer.BlockSize;
                result.AddRange(scorer.Score(new ArraySegment<float[]>(all, start, take)));
                start += take;
            }
        }
        finally
        {
            _free.Release();
        }
        return result;
    }

    /// <summary>The class probabilities of one image (raw C·H·W values) without batching: the engine pool, or block 1 for an image-folder model.</summary>
    public float[] ScoreOne(float[] pixels)
    {
        if (Pool is not null) return Pool.Predict(new DigitInput { Pixels = pixels }).Score;
        DigitInputValidator.Validate(new DigitInput { Pixels = pixels }, Model.Metadata.Shape);
        Enter();
        try
        {
            return _scorers[^1].Score([pixels])[0];
        }
        finally
        {
            _free.Release();
        }
    }

    /// <summary>Waits for a free batch slot (the queue scores at most <see cref="ConcurrentBatches"/> batches at once, so it never waits here) and records the peak.</summary>
    private void Enter()
    {
        _free.Wait();
        int busy = ConcurrentBatches - _free.CurrentCount;
        for (int peak = Volatile.Read(ref _peakBatches); busy > peak; peak = Volatile.Read(ref _peakBatches))
            Interlocked.CompareExchange(ref _peakBatches, busy, peak);
    }
}
