using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetMnist.Data;

/// <summary>
/// An ML.NET <see cref="IDataView"/> over an <see cref="ImageSplit"/>, with two columns:
/// <c>Label</c> (<see cref="float"/>, the class index) and <c>Pixels</c> (C·H·W <see cref="float"/>s,
/// raw 0–255; 784 for MNIST). Pixels are converted row by row as a cursor reads them: the split's
/// bytes are the only copy of the data set.
/// </summary>
public sealed class ImageSplitDataView : IDataView
{
    /// <summary>Name of the label column.</summary>
    public const string LabelColumn = "Label";

    /// <summary>Name of the pixel column.</summary>
    public const string PixelsColumn = "Pixels";

    private readonly ImageSplit _split;

    /// <summary>Creates a view of <paramref name="split"/>.</summary>
    public ImageSplitDataView(ImageSplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        _split = split;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(LabelColumn, NumberDataViewType.Single);
        builder.AddColumn(PixelsColumn, new VectorDataViewType(NumberDataViewType.Single, split.Shape.PixelCount));
        Schema = builder.ToSchema();
    }

    /// <inheritdoc />
    public bool CanShuffle => true;

    /// <inheritdoc />
    public DataViewSchema Schema { get; }

    /// <inheritdoc />
    public long? GetRowCount() => _split.Count;

    /// <inheritdoc />
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        int[]? order = null;
        if (rand is not null)
        {
            order = Enumerable.Range(0, _split.Count).ToArray();
            rand.Shuffle(order);
        }
        return new Cursor(this, columnsNeeded, order);
    }

    /// <inheritdoc />
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ImageSplitDataView _view;
        private readonly int[]? _order;
        private readonly bool[] _active;
        private long _position = -1;
        private int _row = -1;

        public Cursor(ImageSplitDataView view, IEnumerable<DataViewSchema.Column> columnsNeeded, int[]? order)
        {
            _view = view;
            _order = order;
            _active = new bool[view.Schema.Count];
            foreach (var column in columnsNeeded) _active[column.Index] = true;
        }

        public override DataViewSchema Schema => _view.Schema;
        public override long Position => _position;
        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_position + 1 >= _view._split.Count)
            {
                _row = -1;
                return false;
            }
            _position++;
            _row = _order is null ? (int)_position : _order[_position];
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter()
            => (ref DataViewRowId value) => value = new DataViewRowId((ulong)_row, 0);

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested from this cursor.");
            Delegate getter = column.Index switch
            {
                0 => (ValueGetter<float>)GetLabel,
                1 => (ValueGetter<VBuffer<float>>)GetPixels,
                _ => throw new ArgumentOutOfRangeException(nameof(column)),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is of type {column.Type}, not {typeof(TValue).Name}.");
        }

        private void GetLabel(ref float value)
        {
            CheckRow();
            value = _view._split.Labels[_row];
        }

        private void GetPixels(ref VBuffer<float> value)
        {
            CheckRow();
            var source = _view._split.Image(_row);
            var editor = VBufferEditor.Create(ref value, source.Length);
            var destination = editor.Values;
            for (int i = 0; i < source.Length; i++) destination[i] = source[i];
            value = editor.Commit();
        }

        private void CheckRow()
        {
            if (_row < 0) throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.");
        }
    }
}
