using System.Buffers.Binary;
using System.IO.Compression;
using MlNetMnist.Data;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Data;

/// <summary>Each case is a real malformed file on disk, read through <see cref="IdxReader"/>.</summary>
public sealed class IdxCorruptionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] ImagesFile(int count, int rows = 28, int cols = 28, int magic = IdxReader.ImagesMagic, int payload = -1)
    {
        int length = payload >= 0 ? payload : count * rows * cols;
        var bytes = new byte[16 + length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), cols);
        new Random(1).NextBytes(bytes.AsSpan(16));
        return bytes;
    }

    private static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Optimal)) gz.Write(raw);
        return output.ToArray();
    }

    private DataSetException ReadImagesFails(string name, byte[] content, DataSetError expected)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, content);
        var e = Assert.Throws<DataSetException>(() => IdxReader.ReadImages(path));
        Assert.Equal(expected, e.Error);
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(path + ": ", e.Message);
        return e;
    }

    [Fact]
    public void MissingFile()
    {
        var e = Assert.Throws<DataSetException>(() => IdxReader.ReadImages(_dir.File("nope-idx3-ubyte")));
        Assert.Equal(DataSetError.FileMissing, e.Error);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void DirectoryWhereTheFileShouldBe()
    {
        Directory.CreateDirectory(_dir.File("train-images-idx3-ubyte"));
        var e = Assert.Throws<DataSetException>(() => IdxReader.ReadImages(_dir.File("train-images-idx3-ubyte")));
        Assert.Equal(DataSetError.FileMissing, e.Error);
        Assert.Contains("is a directory", e.Message);
    }

    [Fact]
    public void EmptyFile() => ReadImagesFails("empty-idx3-ubyte", [], DataSetError.EmptyFile);

    [Fact]
    public void NamedGzButNotGzip()
    {
        var e = ReadImagesFails("plain.gz", ImagesFile(2), DataSetError.BadCompression);
        Assert.Contains("not gzip", e.Problem);
    }

    [Fact]
    public void GzipTruncatedMidStream()
    {
        var gz = Gzip(ImagesFile(50));
        var e = ReadImagesFails("cut.gz", gz[..(gz.Length / 2)], DataSetError.Truncated);
        Assert.Contains("truncated", e.Problem);
    }

    [Fact]
    public void GzipWithCorruptDeflateData()
    {
        var gz = Gzip(ImagesFile(50));
        for (int i = 20; i < 60; i++) gz[i] ^= 0x5A;
        var path = _dir.File("garbled.gz");
        File.WriteAllBytes(path, gz);
        var e = Assert.Throws<DataSetException>(() => IdxReader.ReadImages(path));
        Assert.Contains(e.Error, new[] { DataSetError.BadCompression, DataSetError.Truncated, DataSetError.BadMagic, DataSetError.BadDimensions });
    }

    [Fact]
    public void WrongMagic()
    {
        var e = ReadImagesFails("magic-idx3-ubyte", ImagesFile(2, magic: 0x12345678), DataSetError.BadMagic);
        Assert.Contains("not 2051", e.Problem);
    }

    [Fact]
    public void LabelsFileReadAsImagesSaysTheNamesMayBeSwapped()
    {
        var labels = new byte[8 + 3];
        BinaryPrimitives.WriteInt32BigEndian(labels, IdxReader.LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), 3);
        var e = ReadImagesFails("swapped-idx3-ubyte", labels, DataSetError.BadMagic);
        Assert.Contains("swapped", e.Problem);
    }

    [Fact]
    public void WrongRank()
    {
        var e = ReadImagesFails("rank-idx3-ubyte", ImagesFile(2, magic: 0x0802), DataSetError.BadRank);
        Assert.Contains("rank 2", e.Problem);
    }

    [Fact]
    public void FewerBytesThanTheHeaderPromises()
    {
        var e = ReadImagesFails("short-idx3-ubyte", ImagesFile(10, payload: 9 * 784 + 100), DataSetError.Truncated);
        Assert.Contains("10 images of 28×28", e.Problem);
    }

    [Fact]
    public void MoreBytesThanTheHeaderPromises()
        => ReadImagesFails("long-idx3-ubyte", ImagesFile(2, payload: 2 * 784 + 1), DataSetError.TrailingData);

    [Fact]
    public void HeaderEndsEarly() => ReadImagesFails("header-idx3-ubyte", ImagesFile(1)[..10], DataSetError.Truncated);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BillionsOfImagesDeclaredInASmallFileFailBeforeAnyLargeAllocation(bool gzip)
    {
        var raw = ImagesFile(2_000_000_000 / 784, payload: 784);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = ReadImagesFails(gzip ? "huge.gz" : "huge-idx3-ubyte", gzip ? Gzip(raw) : raw, DataSetError.Truncated);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 10_000_000, $"allocated {allocated:N0} bytes for a {raw.Length}-byte file");
        Assert.Contains("2,551,020 images", e.Problem);
    }

    [Fact]
    public void DimensionOfZeroRows() => ReadImagesFails("zero-idx3-ubyte", ImagesFile(2, rows: 0, payload: 0), DataSetError.BadDimensions);

    [Fact]
    public void LabelOutsideZeroToNine()
    {
        var path = _dir.File("labels-idx1-ubyte");
        IdxWriter.WriteLabels(path, [3, 4, 11, 2]);
        var e = Assert.Throws<DataSetException>(() => IdxReader.ReadLabels(path, classCount: 10));
        Assert.Equal(DataSetError.LabelOutOfRange, e.Error);
        Assert.Contains("label 11 at index 2", e.Message);
        Assert.Contains("outside 0–9", e.Message);
    }
}
