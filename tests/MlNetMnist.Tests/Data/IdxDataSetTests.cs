using MlNetMnist.Data;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Data;

public sealed class IdxDataSetTests
{
    [Fact]
    public void TheRealDataSetLoadsVerifiedAsMnistWithItsKnownCountsLabelsAndShape()
    {
        var data = RealMnist.DataSet;
        var d = data.Description;

        Assert.True(d.IsVerifiedMnist, string.Join("\n", data.Notices));
        Assert.Empty(data.Notices);
        Assert.Equal("MNIST", d.Name);
        Assert.Equal(DataSetFormat.Idx, d.Format);
        Assert.Equal(new ImageShape(1, 28, 28), d.Shape);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString()), d.ClassNames);
        Assert.Equal(60_000, data.Train.Count);
        Assert.Equal(10_000, data.Test.Count);
        Assert.Equal([5, 0, 4, 1, 9], data.Train.Labels[..5]);
        Assert.Equal([7, 2, 1, 0, 4], data.Test.Labels[..5]);
        Assert.Contains(MnistCatalog.Entry(MnistFileKind.TrainImages).Sha256[..12], d.Train.Detail);
        Assert.Contains(MnistCatalog.Entry(MnistFileKind.TestLabels).Sha256[..12], d.Test.Detail);
    }

    [Fact]
    public void TheComputedNormalizationOfMnistIsTheCatalogs()
    {
        // Computed from the 60,000 training images, not assumed: the same figures the catalog states.
        var computed = PixelNormalization.Compute(RealMnist.DataSet.Train);
        Assert.Equal(0.1307, computed.Mean[0]);
        Assert.Equal(0.3081, computed.Std[0]);
        Assert.Equal(MnistCatalog.Normalization, computed);
        Assert.Equal(computed, RealMnist.DataSet.Description.Normalization);
        Assert.Equal(6_742, RealMnist.DataSet.Train.Labels.Count(l => l == 1)); // the most frequent digit
    }

    [Fact]
    public void RawUnpackedFilesAreAcceptedToo()
    {
        using var dir = new TempDirectory();
        WriteSmallDataSet(dir.Path, gzip: false, trainCount: 30, testCount: 20);
        var data = IdxDataSet.Load(dir.Path);
        Assert.Equal(30, data.Train.Count);
        Assert.Equal(20, data.Test.Count);
        Assert.Equal(RealMnist.DataSet.Train.Labels[..30], data.Train.Labels);
    }

    [Fact]
    public void FilesWithMnistsNamesButOtherContentAreNamedAfterTheirFolderNotUnverifiedMnist()
    {
        using var dir = new TempDirectory();
        var folder = Directory.CreateDirectory(Path.Combine(dir.Path, "fashion")).FullName;
        WriteSmallDataSet(folder, gzip: true, trainCount: 30, testCount: 20);
        var data = IdxDataSet.Load(folder);
        Assert.False(data.Description.IsVerifiedMnist);
        Assert.Equal("fashion", data.Description.Name);
        var notice = Assert.Single(data.Notices);
        Assert.Contains("'fashion'", notice);
        Assert.DoesNotContain("unverified", notice);
        Assert.Equal(PixelNormalization.Compute(data.Train), data.Description.Normalization);
    }

    [Fact]
    public void AnyPrefixedPairPerSplitWithClassNamesAndAnotherSizeLoads()
    {
        // An EMNIST-like set: other file names, 14×14 images, three classes named in classes.txt.
        using var dir = new TempDirectory();
        var folder = Directory.CreateDirectory(Path.Combine(dir.Path, "letters abc")).FullName;
        var (train, trainLabels) = Downscaled(RealMnist.DataSet.Train, 90);
        var (test, testLabels) = Downscaled(RealMnist.DataSet.Test, 30);
        IdxWriter.WriteImages(Path.Combine(folder, "emnist-letters-train-images-idx3-ubyte.gz"), train);
        IdxWriter.WriteLabels(Path.Combine(folder, "emnist-letters-train-labels-idx1-ubyte.gz"), trainLabels);
        IdxWriter.WriteImages(Path.Combine(folder, "emnist-letters-test-images-idx3-ubyte"), test);
        IdxWriter.WriteLabels(Path.Combine(folder, "emnist-letters-test-labels-idx1-ubyte"), testLabels);
        File.WriteAllLines(Path.Combine(folder, IdxDataSet.ClassNamesFile), ["alpha", "beta", "gamma"]);

        var data = DataSetLoader.Load(folder);

        Assert.Equal("letters abc", data.Description.Name);
        Assert.Equal(new ImageShape(1, 14, 14), data.Description.Shape);
        Assert.Equal(["alpha", "beta", "gamma"], data.Description.ClassNames);
        Assert.Equal(trainLabels, data.Train.Labels);
        Assert.Equal(test.Pixels, data.Test.Pixels);
        Assert.Empty(data.Notices);
    }

    [Fact]
    public void WithoutClassNamesTheLabelNumbersNameTheClasses()
    {
        using var dir = new TempDirectory();
        WriteSmallDataSet(dir.Path, gzip: true, trainCount: 200, testCount: 50);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString()), IdxDataSet.Load(dir.Path).Description.ClassNames);
    }

    [Theory]
    [InlineData(9, DataSetError.BadClassNames, "9 class names")]
    [InlineData(11, DataSetError.BadClassNames, "11 class names")]
    public void ClassNamesWithTheWrongNumberOfLinesAreOneClearError(int lines, DataSetError error, string expected)
    {
        using var dir = new TempDirectory();
        WriteSmallDataSet(dir.Path, gzip: true, trainCount: 200, testCount: 50);
        var classes = Path.Combine(dir.Path, IdxDataSet.ClassNamesFile);
        File.WriteAllLines(classes, Enumerable.Range(0, lines).Select(i => $"class {i}"));
        var e = Assert.Throws<DataSetException>(() => IdxDataSet.Load(dir.Path));
        Assert.Equal(classes, e.FilePath);
        Assert.True(e.Error == error || e.Error == DataSetError.LabelOutOfRange, e.Message);
        Assert.Contains(lines < 10 ? "label 9" : expected, e.Message);
        Assert.Contains("one name per label", e.Message);
    }

    [Fact]
    public void ClassNamesWithABlankLineOrADuplicateAreRefused()
    {
        using var dir = new TempDirectory();
        WriteSmallDataSet(dir.Path, gzip: true, trainCount: 200, testCount: 50);
        var classes = Path.Combine(dir.Path, IdxDataSet.ClassNamesFile);
        File.WriteAllLines(classes, ["zero", "one", "", "three", "four", "five", "six", "seven", "eight", "nine"]);
        Assert.Contains("line 3 is empty", Assert.Throws<DataSetException>(() => IdxDataSet.Load(dir.Path)).Message);
        File.WriteAllLines(classes, ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "one"]);
        Assert.Contains("'one' twice", Assert.Throws<DataSetException>(() => IdxDataSet.Load(dir.Path)).Message);
    }

    [Fact]
    public void LabelsOutsideTheClassCountNameTheLabelFile()
    {
        using var dir = new TempDirectory();
        WriteSmallDataSet(dir.Path, gzip: true, trainCount: 30, testCount: 20);
        File.WriteAllLines(Path.Combine(dir.Path, IdxDataSet.ClassNamesFile), ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]);
        var labels = RealMnist.DataSet.Test.Labels[..20].ToArray();
        labels[3] = 12;
        IdxWriter.WriteLabels(Path.Combine(dir.Path, "t10k-labels-idx1-ubyte.gz"), labels);
        var e = Assert.Throws<DataSetException>(() => IdxDataSet.Load(dir.Path));
        Assert.Equal(DataSetError.LabelOutOfRange, e.Error);
        Assert.Contains("label 12", e.Message);
    }

    [Fact]
    public void ImageAndLabelCountsThatDisagreeNameBothFiles()
    {
        using var dir = new TempDirectory();
        WriteSmallDataSet(dir.Path, gzip: true, trainCount: 30, testCount: 20);
        IdxWriter.WriteLabels(Path.Combine(dir.Path, "t10k-labels-idx1-ubyte.gz"), RealMnist.DataSet.Test.Labels[..19]);
        var e = Assert.Throws<DataSetException>(() => IdxDataSet.Load(dir.Path));
        Assert.Equal(DataSetError.CountMismatch, e.Error);
        Assert.Contains("t10k-images-idx3-ubyte.gz", e.Message);
        Assert.Contains("t10k-labels-idx1-ubyte.gz", e.Message);
        Assert.Contains("20 images", e.Message);
        Assert.Contains("19 labels", e.Message);
    }

    [Theory]
    [InlineData(4, 4)]
    [InlineData(130, 20)]
    public void ImagesOutsideTheSupportedSizesAreRefused(int rows, int columns)
    {
        using var dir = new TempDirectory();
        WriteSmallDataSet(dir.Path, gzip: true, trainCount: 30, testCount: 20);
        IdxWriter.WriteImages(Path.Combine(dir.Path, "train-images-idx3-ubyte.gz"), new IdxImages(30, rows, columns, new byte[30 * rows * columns]));
        var e = Assert.Throws<DataSetException>(() => IdxDataSet.Load(dir.Path));
        Assert.Equal(DataSetError.BadDimensions, e.Error);
        Assert.Contains($"{rows}×{columns}", e.Message);
        Assert.Contains("8 to 128", e.Message);
    }

    [Fact]
    public void SplitsOfDifferentSizesAreRefused()
    {
        using var dir = new TempDirectory();
        WriteSmallDataSet(dir.Path, gzip: true, trainCount: 30, testCount: 20);
        IdxWriter.WriteImages(Path.Combine(dir.Path, "t10k-images-idx3-ubyte.gz"), new IdxImages(20, 14, 14, new byte[20 * 196]));
        var e = Assert.Throws<DataSetException>(() => IdxDataSet.Load(dir.Path));
        Assert.Equal(DataSetError.BadDimensions, e.Error);
        Assert.Contains("14×14", e.Message);
        Assert.Contains("28×28", e.Message);
    }

    [Fact]
    public void AMissingFileIsNamedWithTheListOfFilesNeeded()
    {
        using var dir = new TempDirectory();
        WriteSmallDataSet(dir.Path, gzip: true, trainCount: 30, testCount: 20);
        File.Delete(Path.Combine(dir.Path, "train-labels-idx1-ubyte.gz"));
        var e = Assert.Throws<DataSetException>(() => IdxDataSet.Load(dir.Path));
        Assert.Equal(DataSetError.FileMissing, e.Error);
        Assert.Equal(dir.Path, e.FilePath);
        Assert.Contains("train labels", e.Message);
        Assert.Contains("train-labels-idx1-ubyte.gz", e.Message);
    }

    [Fact]
    public void ACorruptFileInTheSetIsReportedAsItsOwnTypedError()
    {
        using var dir = new TempDirectory();
        WriteSmallDataSet(dir.Path, gzip: true, trainCount: 30, testCount: 20);
        var labels = Path.Combine(dir.Path, "train-labels-idx1-ubyte.gz");
        var bytes = File.ReadAllBytes(labels);
        File.WriteAllBytes(labels, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<DataSetException>(() => IdxDataSet.Load(dir.Path));
        Assert.Equal(labels, e.FilePath);
    }

    [Fact]
    public void LabelFilesOf32BitIntegersCarryMoreThan256Classes()
    {
        using var dir = new TempDirectory();
        int[] labels = [0, 300, 999, 7];
        IdxWriter.WriteLabels(dir.File("wide-labels-idx1-ubyte"), labels);
        Assert.Equal(labels, IdxReader.ReadLabels(dir.File("wide-labels-idx1-ubyte")));
    }

    [Fact]
    public void SliceCopiesTheRequestedExamples()
    {
        var slice = RealMnist.DataSet.Test.Slice(2, 3);
        Assert.Equal([1, 0, 4], slice.Labels);
        Assert.Equal(RealMnist.DataSet.Test.Image(2).ToArray(), slice.Image(0).ToArray());
    }

    /// <summary>Writes the first examples of the real splits as a small data set in the standard layout.</summary>
    internal static void WriteSmallDataSet(string directory, bool gzip, int trainCount, int testCount)
    {
        string ext = gzip ? ".gz" : "";
        var train = RealMnist.DataSet.Train.Slice(0, trainCount);
        var test = RealMnist.DataSet.Test.Slice(0, testCount);
        IdxWriter.WriteImages(Path.Combine(directory, "train-images-idx3-ubyte" + ext), train);
        IdxWriter.WriteLabels(Path.Combine(directory, "train-labels-idx1-ubyte" + ext), train.Labels);
        IdxWriter.WriteImages(Path.Combine(directory, "t10k-images-idx3-ubyte" + ext), test);
        IdxWriter.WriteLabels(Path.Combine(directory, "t10k-labels-idx1-ubyte" + ext), test.Labels);
    }

    /// <summary>The first real digits 0–2, <paramref name="count"/> of them, downscaled 2:1 to 14×14 (mean of each 2×2 block).</summary>
    internal static (IdxImages Images, int[] Labels) Downscaled(ImageSplit split, int count)
    {
        var picked = Enumerable.Range(0, split.Count).Where(i => split.Labels[i] < 3).Take(count).ToArray();
        var pixels = new byte[picked.Length * 196];
        for (int n = 0; n < picked.Length; n++)
        {
            var image = split.Image(picked[n]);
            for (int y = 0; y < 14; y++)
                for (int x = 0; x < 14; x++)
                    pixels[n * 196 + y * 14 + x] = (byte)((image[2 * y * 28 + 2 * x] + image[2 * y * 28 + 2 * x + 1] + image[(2 * y + 1) * 28 + 2 * x] + image[(2 * y + 1) * 28 + 2 * x + 1]) / 4);
        }
        return (new IdxImages(picked.Length, 14, 14, pixels), picked.Select(i => split.Labels[i]).ToArray());
    }
}
