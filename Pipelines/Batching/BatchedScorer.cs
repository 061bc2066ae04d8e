using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Transforms.Onnx;
using MlNetMnist.Data;

namespace MlNetMnist.Pipelines.Batching;

/// <summary>
/// Scores a whole split through ML.NET's IDataView and OnnxTransformer, <see cref="BlockSize"/>
/// images per ONNX Runtime call instead of one: rows carry blocks of images normalized with the
/// model's own per-channel constants (<see cref="ImageBlockDataView"/>, the same
/// <see cref="PixelNormalization"/> the trainer uses), and <c>ApplyOnnxModel</c> gets the block's fixed
/// shape through its shape dictionary; the probabilities are then unpacked per image. Works for every
/// model, whatever its <c>model.zip</c> takes (pixels or image files: the split holds the decoded
/// pixels). The one-image-per-row <c>model.zip</c> is unchanged; this is the evaluation path.
/// </summary>
/// <remarks>
/// ONNX Runtime loads the network from a file, which is written to the temporary folder and
/// deleted as soon as the session exists (the constructor's end), so it never outlives the
/// constructor, even when the process is killed later. ML.NET 5.0's <c>ApplyOnnxModel</c>
/// overloads that take a stream are no better: they copy the stream into a file of their own in
/// <c>MLContext.TempFilePath</c> that is never deleted, and ignore <c>IntraOpNumThreads</c>.
/// </remarks>
public sealed class BatchedScorer : IDisposable
{
    /// <summary>The start of the names of the temporary ONNX files (followed by the process id).</summary>
    internal const string TemporaryFilePrefix = "mlnetmnist-block-";

    private readonly MLContext _context = new();
    private readonly ITransformer _transformer;
    private readonly ImageShape _shape;
    private readonly int _classes;
    private readonly PixelNormalization _normalization;
    private readonly ObjectPool<Lane> _lanes; // one engine and its buffers per concurrent caller, over the one session

    /// <summary>Prepares block scoring for <paramref name="model"/>'s ONNX network.</summary>
    /// <param name="model">The model whose network and normalization are used.</param>
    /// <param name="blockSize">Images per ONNX Runtime call.</param>
    /// <param name="threads">ONNX Runtime intra-op threads; null lets ONNX Runtime decide.</param>
    /// <param name="spinning">
    /// Whether ONNX Runtime's worker threads spin while they wait for work (its default, the fastest
    /// for a pass over a whole split). A server that keeps several scorers, or shares the cores with
    /// its request threads, turns it off: a spinning pool of one session steals the cores from the next.
    /// </param>
    public BatchedScorer(MnistModel model, int blockSize = 256, int? threads = null, bool spinning = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        BlockSize = blockSize;
        _shape = model.Metadata.Shape;
        _classes = model.Metadata.ClassCount;
        _normalization = model.Metadata.Normalization;
        OnnxSessionSettings.Apply(_context, threads, spinning);
        var onnxFile = Path.Combine(Path.GetTempPath(), $"{TemporaryFilePrefix}{Environment.ProcessId}-{Guid.NewGuid():N}.onnx");
        try
        {
            StorageException.Guard(onnxFile, () => File.WriteAllBytes(onnxFile, model.OnnxModel));
            var shapes = new Dictionary<string, int[]>
            {
                [OnnxContract.Input] = [blockSize, _shape.PixelCount],
                [OnnxContract.Probabilities] = [blockSize, _classes],
                [OnnxContract.Logits] = [blockSize, _classes],
            };
            var pipeline = _context.Transforms.ApplyOnnxModel(new OnnxOptions
            {
                ModelFile = onnxFile,
                InputColumns = [OnnxContract.Input],
                OutputColumns = [OnnxContract.Probabilities],
                ShapeDictionary = shapes,
                IntraOpNumThreads = threads,
            });
            var empty = new ImageBlockDataView(new ImageSplit("empty", _shape, [], [], _classes), blockSize, _normalization, OnnxContract.Input);
            _transformer = pipeline.Fit(empty);
        }
        finally
        {
            AtomicFile.TryDelete(onnxFile); // the session holds the network in memory now
        }
        // For a disposable T the provider makes a pool that disposes what it drops and what it holds when disposed.
        _lanes = new DefaultObjectPoolProvider { MaximumRetained = Environment.ProcessorCount * 2 }.Create(new LanePolicy(this));
    }

    /// <summary>Images per ONNX Runtime call.</summary>
    public int BlockSize { get; }

    /// <summary>The class probabilities of every image of <paramref name="split"/>, in order.</summary>
    public List<float[]> ScoreAll(ImageSplit split, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(split);
        if (split.Shape != _shape)
            throw new ArgumentException($"The images are {split.Shape}, but the model takes {_shape}.", nameof(split));
        return Collect(new ImageBlockDataView(split, BlockSize, _normalization, OnnxContract.Input), split.Count, progress, cancellationToken);
    }

    /// <summary>
    /// The class probabilities of each of <paramref name="images"/> (raw C·H·W values 0–255 of the
    /// model's shape, as floats, used as they are: not rounded to bytes), in order: what a server
    /// scores for a batch of requests. Each block goes through one ML.NET <c>PredictionEngine</c> over
    /// the same block pipeline, which keeps its cursor between calls, so a call costs what one
    /// <c>Predict</c> does plus the network; the last block is padded, so a count that is a multiple
    /// of <see cref="BlockSize"/> wastes nothing. Thread-safe: each concurrent caller gets its own engine (pooled) over the one ONNX Runtime session.
    /// </summary>
    /// <exception cref="ArgumentException">An image does not hold one image of the model's shape.</exception>
    public List<float[]> Score(IReadOnlyList<float[]> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        int size = _shape.PixelCount;
        for (int i = 0; i < images.Count; i++)
            if (images[i]?.Length != size)
                throw new ArgumentException($"Image {i} holds {images[i]?.Length ?? 0} values, not one image of {_shape} ({size}).", nameof(images));
        var lane = _lanes.Get();
        try
        {
            var result = new List<float[]>(images.Count);
            for (int start = 0; start < images.Count; start += BlockSize)
            {
                int count = Math.Min(BlockSize, images.Count - start);
                for (int k = 0; k < count; k++) _normalization.Normalize(images[start + k], lane.Block.Input.AsSpan(k * size, size), _shape);
                lane.Block.Input.AsSpan(count * size).Clear();
                lane.Engine.Predict(lane.Block, ref lane.Scores);
                for (int k = 0; k < count; k++) result.Add(lane.Scores.Probabilities.AsSpan(k * _classes, _classes).ToArray());
            }
            return result;
        }
        finally
        {
            _lanes.Return(lane);
        }
    }

    /// <summary>One caller's engine over the block pipeline (ML.NET engines are not thread-safe), with its block buffers.</summary>
    private sealed class Lane(PredictionEngine<Block, BlockScores> engine, int inputSize) : IDisposable
    {
        public PredictionEngine<Block, BlockScores> Engine { get; } = engine;

        public Block Block { get; } = new() { Input = new float[inputSize] };

        public BlockScores Scores = new();

        public void Dispose() => Engine.Dispose();
    }

    private sealed class LanePolicy(BatchedScorer scorer) : PooledObjectPolicy<Lane>
    {
        public override Lane Create() => new(scorer._context.Model.CreatePredictionEngine<Block, BlockScores>(scorer._transformer, new PredictionEngineOptions
        {
            OwnsTransformer = false,
            InputSchemaDefinition = VectorSchema<Block>(OnnxContract.Input, scorer.BlockSize * scorer._shape.PixelCount),
            OutputSchemaDefinition = VectorSchema<BlockScores>(OnnxContract.Probabilities, scorer.BlockSize * scorer._classes),
        }), scorer.BlockSize * scorer._shape.PixelCount);

        public override bool Return(Lane obj) => true;
    }

    private static SchemaDefinition VectorSchema<T>(string column, int size)
    {
        var definition = SchemaDefinition.Create(typeof(T));
        definition[column].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        return definition;
    }

    /// <summary>One row of the block pipeline: a block of normalized images.</summary>
    private sealed class Block
    {
        [ColumnName(OnnxContract.Input), VectorType]
        public float[] Input { get; set; } = [];
    }

    /// <summary>The block's probabilities, image after image.</summary>
    private sealed class BlockScores
    {
        [ColumnName(OnnxContract.Probabilities), VectorType]
        public float[] Probabilities { get; set; } = [];
    }

    private List<float[]> Collect(ImageBlockDataView blocks, int count, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var scored = _transformer.Transform(blocks);
        var column = scored.Schema[OnnxContract.Probabilities];
        var result = new List<float[]>(count);
        using var cursor = scored.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> block = default;
        while (cursor.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            getter(ref block);
            var values = block.GetValues();
            for (int i = 0; i < BlockSize && result.Count < count; i++)
                result.Add(values.Slice(i * _classes, _classes).ToArray());
            progress?.Report(result.Count);
        }
        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        (_lanes as IDisposable)?.Dispose();
        (_transformer as IDisposable)?.Dispose();
    }
}
