using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetMnist.Data;

namespace MlNetMnist.Pipelines.Batching;

/// <summary>
/// An <see cref="IDataView"/> whose every row carries a block of <see cref="BlockSize"/> images:
/// one <c>Pixels</c> column of <c>BlockSize × C·H·W</c> raw floats (0–255), the last block padded
/// with empty images. It lets ML.NET's OnnxTransformer run ONNX Runtime on whole batches.
/// </summary>
public sealed class ImageBlockDataView : IDataView
{
    private readonly ImageSplit _split;

    /// <summary>Groups the images of <paramref name="split"/> into blocks of <paramref name="blockSize"/>.</summary>
    public ImageBlockDataView(ImageSplit split, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        _split = split;
        BlockSize = blockSize;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(ImageSplitDataView.PixelsColumn, new VectorDataViewType(NumberDataViewType.Single, blockSize * split.Shape.PixelCount));
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
            for (int i = 0; i < source.Length; i++) destination[i] = source[i];
            destination[source.Length..].Clear();
            value = editor.Commit();
        }
    }
}
