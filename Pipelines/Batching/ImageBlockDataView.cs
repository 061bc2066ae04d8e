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
    private readonly ImageSplit _split;
    private readonly PixelNormalization? _normalization;

    /// <summary>Groups the images of <paramref name="split"/> into blocks of <paramref name="blockSize"/>.</summary>
    /// <param name="split">The images.</param>
    /// <param name="blockSize">Images per row.</param>
    /// <param name="normalization">Applied to every value when given; null gives raw 0–255.</param>
    /// <param name="column">The column's name.</param>
    public ImageBlockDataView(ImageSplit split, int blockSize, PixelNormalization? normalization = null, string column = ImageSplitDataView.PixelsColumn)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        _split = split;
        _normalization = normalization;
        BlockSize = blockSize;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(column, new VectorDataViewType(NumberDataViewType.Single, blockSize * split.Shape.PixelCount));
        Schema = builder.ToSchema();
    }

    /// <summary>Images per row.</summary>
    public int BlockSize { get; }

    /// <inheritdoc />
    public bool CanShuffle => false;

    /// <inheritdoc />
    public DataViewSchema Schema { get; }

    /// <inheritdoc />
    public long? GetRowCount() => (_split.Count + BlockSize - 1) / BlockSize;

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
            int pixels = view.BlockSize * view._split.Shape.PixelCount;
            long first = _position * pixels;
            var source = view._split.Pixels.AsSpan((int)first, (int)Math.Min(pixels, view._split.Pixels.Length - first));
            var editor = VBufferEditor.Create(ref value, pixels);
            var destination = editor.Values;
            if (view._normalization is { } normalization) normalization.Normalize(source, destination, view._split.Shape);
            else for (int i = 0; i < source.Length; i++) destination[i] = source[i];
            destination[source.Length..].Clear();
            value = editor.Commit();
        }
    }
}
