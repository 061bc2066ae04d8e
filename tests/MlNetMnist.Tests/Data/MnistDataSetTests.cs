using MlNetMnist.Data;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Data;

public sealed class MnistDataSetTests
{
    [Fact]
    public void TheRealDataSetLoadsVerifiedWithItsKnownCountsAndFirstLabels()
    {
        var data = RealMnist.DataSet;

        Assert.True(data.IsVerified, string.Join("\n", data.Notices));
        Assert.Equal(60_000, data.Train.Count);
        Assert.Equal(10_000, data.Test.Count);
        Assert.Equal(new byte[] { 5, 0, 4, 1, 9 }, data.Train.Labels[..5]);
        Assert.Equal(new byte[] { 7, 2, 1, 0, 4 }, data.Test.Labels[..5]);
        foreach (var entry in MnistCatalog.Files)
            Assert.Equal(entry.Sha256, data.Sha256[entry.Kind]);
    }

    [Fact]
    public void TrainingPixelStatisticsAreThoseOfMnist()
    {
        var pixels = RealMnist.DataSet.Train.Images.Pixels;
        double sum = 0, sumSquares = 0;
        foreach (var p in pixels)
        {
            sum += p;
            sumSquares += p * p;
        }
        double mean = sum / pixels.Length;
        double std = Math.Sqrt(sumSquares / pixels.Length - mean * mean);
        Assert.Equal(33.32, mean, 0.01);          // 0.1307 × 255
        Assert.Equal(78.57, std, 0.01);           // 0.3081 × 255
        Assert.Equal(6_742, RealMnist.DataSet.Train.Labels.Count(l => l == 1)); // the most frequent digit
    }

    [Fact]
    public void RawUnpackedFilesAreAcceptedToo()
    {
        using var dir = new TempDirectory();
        WriteSmallDataSet(dir.Path, gzip: false, trainCount: 30, testCount: 20);
        var data = MnistDataSet.Load(dir.Path);
        Assert.Equal(30, data.Train.Count);
        Assert.Equal(20, data.Test.Count);
        Assert.Equal(RealMnist.DataSet.Train.Labels[..30], data.Train.Labels);
    }

    [Fact]
    public void ADataSetThatDiffersFromTheCatalogIsUsedUnverifiedWithANoticePerFile()
    {
        using var dir = new TempDirectory();
        WriteSmallDataSet(dir.Path, gzip: true, trainCount: 30, testCount: 20);
        var data = MnistDataSet.Load(dir.Path);
        Assert.False(data.IsVerified);
        Assert.Equal(4, data.Notices.Count);
        Assert.Contains("unverified", data.Notices[0]);
        Assert.Contains("train-images-idx3-ubyte.gz", data.Notices[0]);
    }

    [Fact]
    public void ImageAndLabelCountsThatDisagreeNameBothFiles()
    {
        using var dir = new TempDirectory();
        WriteSmallDataSet(dir.Path, gzip: true, trainCount: 30, testCount: 20);
        IdxWriter.WriteLabels(Path.Combine(dir.Path, "t10k-labels-idx1-ubyte.gz"), RealMnist.DataSet.Test.Labels[..19]);
        var e = Assert.Throws<MnistDataException>(() => MnistDataSet.Load(dir.Path));
        Assert.Equal(MnistDataError.CountMismatch, e.Error);
        Assert.Contains("t10k-images-idx3-ubyte.gz", e.Message);
        Assert.Contains("t10k-labels-idx1-ubyte.gz", e.Message);
        Assert.Contains("20 images", e.Message);
        Assert.Contains("19 labels", e.Message);
    }

    [Fact]
    public void ImagesOtherThan28By28AreRefusedWithTheExpectedSize()
    {
        using var dir = new TempDirectory();
        WriteSmallDataSet(dir.Path, gzip: true, trainCount: 30, testCount: 20);
        IdxWriter.WriteImages(Path.Combine(dir.Path, "train-images-idx3-ubyte.gz"), new IdxImages(30, 14, 14, new byte[30 * 196]));
        var e = Assert.Throws<MnistDataException>(() => MnistDataSet.Load(dir.Path));
        Assert.Equal(MnistDataError.BadDimensions, e.Error);
        Assert.Contains("14×14", e.Message);
        Assert.Contains("expect 28×28", e.Message);
    }

    [Fact]
    public void AMissingFileIsNamedWithTheListOfFilesNeeded()
    {
        using var dir = new TempDirectory();
        WriteSmallDataSet(dir.Path, gzip: true, trainCount: 30, testCount: 20);
        File.Delete(Path.Combine(dir.Path, "train-labels-idx1-ubyte.gz"));
        var e = Assert.Throws<MnistDataException>(() => MnistDataSet.Load(dir.Path));
        Assert.Equal(MnistDataError.FileMissing, e.Error);
        Assert.Contains("train-labels-idx1-ubyte.gz", e.FilePath);
    }

    [Fact]
    public void ACorruptFileInTheSetIsReportedAsItsOwnTypedError()
    {
        using var dir = new TempDirectory();
        WriteSmallDataSet(dir.Path, gzip: true, trainCount: 30, testCount: 20);
        var labels = Path.Combine(dir.Path, "train-labels-idx1-ubyte.gz");
        var bytes = File.ReadAllBytes(labels);
        File.WriteAllBytes(labels, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<MnistDataException>(() => MnistDataSet.Load(dir.Path));
        Assert.Equal(labels, e.FilePath);
    }

    [Fact]
    public void SliceCopiesTheRequestedExamples()
    {
        var slice = RealMnist.DataSet.Test.Slice(2, 3);
        Assert.Equal(new byte[] { 1, 0, 4 }, slice.Labels);
        Assert.Equal(RealMnist.DataSet.Test.Images.Image(2).ToArray(), slice.Images.Image(0).ToArray());
    }

    /// <summary>Writes the first examples of the real splits as a small data set in the standard layout.</summary>
    internal static void WriteSmallDataSet(string directory, bool gzip, int trainCount, int testCount)
    {
        string ext = gzip ? ".gz" : "";
        var train = RealMnist.DataSet.Train.Slice(0, trainCount);
        var test = RealMnist.DataSet.Test.Slice(0, testCount);
        IdxWriter.WriteImages(Path.Combine(directory, "train-images-idx3-ubyte" + ext), train.Images);
        IdxWriter.WriteLabels(Path.Combine(directory, "train-labels-idx1-ubyte" + ext), train.Labels);
        IdxWriter.WriteImages(Path.Combine(directory, "t10k-images-idx3-ubyte" + ext), test.Images);
        IdxWriter.WriteLabels(Path.Combine(directory, "t10k-labels-idx1-ubyte" + ext), test.Labels);
    }
}
