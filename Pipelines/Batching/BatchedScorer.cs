using Microsoft.ML;
using Microsoft.ML.Data;
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

    /// <summary>Prepares block scoring for <paramref name="model"/>'s ONNX network.</summary>
    /// <param name="model">The model whose network and normalization are used.</param>
    /// <param name="blockSize">Images per ONNX Runtime call.</param>
    /// <param name="threads">ONNX Runtime intra-op threads; null lets ONNX Runtime decide.</param>
    public BatchedScorer(MnistModel model, int blockSize = 256, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        BlockSize = blockSize;
        _shape = model.Metadata.Shape;
        _classes = model.Metadata.ClassCount;
        _normalization = model.Metadata.Normalization;
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
    /// model's shape, as floats), in order: what a server scores for a batch of requests. Any count;
    /// the last block is padded, so a count that is a multiple of <see cref="BlockSize"/> wastes nothing.
    /// Not thread-safe: one caller at a time.
    /// </summary>
    /// <exception cref="ArgumentException">An image does not hold one image of the model's shape.</exception>
    public List<float[]> Score(IReadOnlyList<float[]> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        return Collect(new ImageBlockDataView(images, _shape, BlockSize, _normalization, OnnxContract.Input), images.Count, null, CancellationToken.None);
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
        (_transformer as IDisposable)?.Dispose();
    }
}
