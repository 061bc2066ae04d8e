using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetMnist.Data;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Data;

public sealed class MnistDataViewTests
{
    private sealed class Row
    {
        public float Label { get; set; }

        [VectorType(784)]
        public float[] Pixels { get; set; } = [];
    }

    [Fact]
    public void TheViewHasALabelAndA784FloatPixelColumnWithRawValues()
    {
        var view = new ImageSplitDataView(RealMnist.DataSet.Train);

        Assert.Equal(60_000, view.GetRowCount());
        Assert.Equal(NumberDataViewType.Single, view.Schema["Label"].Type);
        var pixelsType = Assert.IsType<VectorDataViewType>(view.Schema["Pixels"].Type);
        Assert.Equal(784, pixelsType.Size);

        var rows = new MLContext().Data.CreateEnumerable<Row>(view, reuseRowObject: false).Take(3).ToList();
        Assert.Equal(new float[] { 5, 0, 4 }, rows.Select(r => r.Label));
        var expected = RealMnist.DataSet.Train.Image(1).ToArray().Select(b => (float)b);
        Assert.Equal(expected, rows[1].Pixels);
        Assert.Equal(255f, rows.SelectMany(r => r.Pixels).Max());
    }

    [Fact]
    public void AShuffledCursorVisitsEveryRowExactlyOnce()
    {
        var slice = RealMnist.DataSet.Test.Slice(0, 500);
        var view = new ImageSplitDataView(slice);
        using var cursor = view.GetRowCursor(view.Schema, new Random(3));
        var getId = cursor.GetIdGetter();
        var getLabel = cursor.GetGetter<float>(view.Schema["Label"]);
        var seen = new List<int>();
        DataViewRowId id = default;
        float label = 0;
        while (cursor.MoveNext())
        {
            getId(ref id);
            getLabel(ref label);
            Assert.Equal(slice.Labels[(int)id.Low], label);
            seen.Add((int)id.Low);
        }
        Assert.Equal(Enumerable.Range(0, 500), seen.Order());
        Assert.NotEqual(Enumerable.Range(0, 500), seen);
    }

    [Fact]
    public void AnInactiveColumnCannotBeRead()
    {
        var view = new ImageSplitDataView(RealMnist.DataSet.Test.Slice(0, 10));
        using var cursor = view.GetRowCursor([view.Schema["Label"]]);
        Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<VBuffer<float>>(view.Schema["Pixels"]));
    }
}
