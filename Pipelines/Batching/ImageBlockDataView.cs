using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetMnist.Data;

namespace MlNetMnist.Pipelines.Batching;

/// <summary>
/// An <see cref="IDataView"/> whose every row carries a block of <see cref="BlockSize"/> images:
/// one column of <c>BlockSize × C·H·W</c> floats, the last block padded with empty images. By
/// default the column is <c>Pixels</c>, raw 0–255; with a normalization it holds the normalized
/// network input, per channel. It lets ML.NET's OnnxTransformer run ONNX Runtime on whole batches.
/// </summary>
public sealed class ImageBlockDataView : IDataView
{
    private readonly int _count;
    private readonly ImageShape _shape;
    private readonly Action<int, int, Span<float>> _fill;

    /// <summary>Groups the images of <paramref name="split"/> into blocks of <paramref name="blockSize"/>.</summary>
    /// <param name="split">The images.</param>
    /// <param name="blockSize">Images per row.</param>
    /// <param name="normalization">Applied to every value when given; null gives raw 0–255.</param>
    /// <param name="column">The column's name.</param>
    public ImageBlockDataView(ImageSplit split, int blockSize, PixelNormalization? normalization = null, string column = ImageSplitDataView.PixelsColumn)
        : this(split?.Count ?? throw new ArgumentNullException(nameof(split)), split.Shape, blockSize, column, (first, count, destination) =>
        {
            var source = split.Pixels.AsSpan(first * split.Shape.PixelCount, count * split.Shape.PixelCount);
            if (normalization is not null) normalization.Normalize(source, destination, split.Shape);
            else for (int i = 0; i < source.Length; i++) destination[i] = source[i];
        })
    {
    }

    /// <summary>
    /// Groups <paramref name="images"/> (each C·H·W raw values 0–255 of <paramref name="shape"/>, as
    /// floats: not rounded to bytes) into blocks of <paramref name="blockSize"/>.
    /// </summary>
    /// <param name="images">The images; each must hold <see cref="ImageShape.PixelCount"/> values.</param>
    /// <param name="shape">The shape of every image.</param>
    /// <param name="blockSize">Images per row.</param>
    /// <param name="normalization">Applied to every value when given; null gives the raw values.</param>
    /// <param name="column">The column's name.</param>
    /// <exception cref="ArgumentException">An image does not hold one image of <paramref name="shape"/>.</exception>
    public ImageBlockDataView(IReadOnlyList<float[]> images, ImageShape shape, int blockSize, PixelNormalization? normalization = null, string column = ImageSplitDataView.PixelsColumn)
        : this(CheckImages(images, shape), shape, blockSize, column, (first, count, destination) =>
        {
            int size = shape.PixelCount;
            for (int k = 0; k < count; k++)
            {
                var target = destination.Slice(k * size, size);
                if (normalization is not null) normalization.Normalize(images[first + k], target, shape);
                else images[first + k].CopyTo(target);
            }
        })
    {
    }

    private ImageBlockDataView(int count, ImageShape shape, int blockSize, string column, Action<int, int, Span<float>> fill)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        _count = count;
        _shape = shape;
        _fill = fill;
        BlockSize = blockSize;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(column, new VectorDataViewType(NumberDataViewType.Single, blockSize * shape.PixelCount));
        Schema = builder.ToSchema();
    }

    private static int CheckImages(IReadOnlyList<float[]> images, ImageShape shape)
    {
        ArgumentNullException.ThrowIfNull(images);
        for (int i = 0; i < images.Count; i++)
            if (images[i]?.Length != shape.PixelCount)
                throw new ArgumentException($"Image {i} holds {images[i]?.Length ?? 0} values, not one image of {shape} ({shape.PixelCount}).", nameof(images));
        return images.Count;
    }

    /// <summary>Images per row.</summary>
    public int BlockSize { get; }

    /// <inheritdoc />
    public bool CanShuffle => false;

    /// <inheritdoc />
    public DataViewSchema Schema { get; }

    /// <inheritdoc />
    public long? GetRowCount() => (_count + BlockSize - 1) / BlockSize;

    /// <inheritdoc />
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    /// <inheritdoc />
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private sealed class Cursor(ImageBlockDataView view) : DataViewRowCursor
    {
        private long _position = -1;

        public override DataViewSchema Schema => view.Schema;
        public override long Position => _position;
        public override long Batch => 0;

        public override bool MoveNext() => ++_position < view.GetRowCount();

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
            => (ValueGetter<VBuffer<float>>)GetPixels as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}.");

        private void GetPixels(ref VBuffer<float> value)
        {
            int pixels = view.BlockSize * view._shape.PixelCount;
            int first = (int)_position * view.BlockSize, images = Math.Min(view.BlockSize, view._count - first);
            var editor = VBufferEditor.Create(ref value, pixels);
            var destination = editor.Values;
            view._fill(first, images, destination);
            destination[(images * view._shape.PixelCount)..].Clear();
            value = editor.Commit();
        }
    }
}
