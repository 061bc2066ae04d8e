using System.Security.Cryptography;
using MlNetMnist.Data;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Data;

public sealed class IdxRoundTripTests
{
    [Theory]
    [InlineData("images-idx3-ubyte")]
    [InlineData("images-idx3-ubyte.gz")]
    public void ImagesSurviveAWriteAndReadUnchanged(string name)
    {
        using var dir = new TempDirectory();
        var pixels = new byte[7 * 5 * 3];
        new Random(42).NextBytes(pixels);
        var written = new IdxImages(7, 5, 3, pixels);

        IdxWriter.WriteImages(dir.File(name), written);
        var read = IdxReader.ReadImages(dir.File(name), out var sha);

        Assert.Equal((7, 5, 3), (read.Count, read.Rows, read.Columns));
        Assert.Equal(pixels, read.Pixels);
        Assert.Equal(pixels.AsSpan(15, 15).ToArray(), read.Image(1).ToArray());
        Assert.Equal(64, sha.Length);
        Assert.Equal(new[] { name }, dir.FileNames()); // no temporary file left behind
    }

    [Theory]
    [InlineData("labels-idx1-ubyte")]
    [InlineData("labels-idx1-ubyte.gz")]
    public void LabelsSurviveAWriteAndReadUnchanged(string name)
    {
        using var dir = new TempDirectory();
        int[] labels = [5, 0, 4, 1, 9, 2, 1, 3];
        IdxWriter.WriteLabels(dir.File(name), labels);
        Assert.Equal(labels, IdxReader.ReadLabels(dir.File(name)));
    }

    [Fact]
    public void TheHashIsTheSha256OfTheDecompressedBytes()
    {
        using var dir = new TempDirectory();
        byte[] labels = [1, 2, 3];
        IdxWriter.WriteLabels(dir.File("raw"), labels);
        IdxWriter.WriteLabels(dir.File("packed.gz"), labels);

        IdxReader.ReadLabels(dir.File("raw"), out var rawSha);
        IdxReader.ReadLabels(dir.File("packed.gz"), out var gzSha);

        var expected = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(dir.File("raw"))));
        Assert.Equal(expected, rawSha);
        Assert.Equal(expected, gzSha);
    }

    [Fact]
    public void RealMnistFileWrittenBackRawHashesToTheCatalogValue()
    {
        using var dir = new TempDirectory();
        var labels = IdxReader.ReadLabels(RealMnist.File(MnistFileKind.TestLabels));
        IdxWriter.WriteLabels(dir.File("t10k-labels-idx1-ubyte"), labels);
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(dir.File("t10k-labels-idx1-ubyte"))));
        Assert.Equal(MnistCatalog.Entry(MnistFileKind.TestLabels).Sha256, sha);
    }
}
