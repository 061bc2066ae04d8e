using System.Buffers.Binary;
using MlNetMnist.Data;
using MlNetMnist.Tests.Data;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Tools;

/// <summary>
/// Each bad data set is a real folder with one crafted file, run through <c>mnist run</c>: one
/// message naming the file and what is wrong, exit code 1, no stack trace, nothing written.
/// </summary>
public sealed class CliBadDataTests
{
    private const string TrainImages = "train-images-idx3-ubyte.gz";
    private const string TrainLabels = "train-labels-idx1-ubyte.gz";

    private static byte[] RawImagesHeader(int magic, int count, int rows, int cols, int payload)
    {
        var bytes = new byte[16 + payload];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), cols);
        return bytes;
    }

    public static TheoryData<string, string, string> Cases => new()
    {
        { "empty", TrainImages, "empty" },
        { "directory", TrainImages, "is a directory" },
        { "not-gzip", TrainImages, "not gzip" },
        { "gzip-truncated", TrainImages, "truncated" },
        { "wrong-magic", "train-images-idx3-ubyte", "magic number" },
        { "wrong-rank", "train-images-idx3-ubyte", "rank 2" },
        { "14x14", "train-images-idx3-ubyte", "both splits must have one size" },
        { "4x4", "train-images-idx3-ubyte", "each side must be 8 to 128" },
        { "fewer-bytes", "train-images-idx3-ubyte", "holds only" },
        { "billions", "train-images-idx3-ubyte", "2,000,000,000 images" },
        { "count-mismatch", TrainImages, "labels" },
        { "label-out-of-range", "train-labels-idx1-ubyte", "label 12 at index 42" },
        { "missing", TrainLabels, "lacks the train labels file" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ABadDataFileIsOneClearErrorAndNothingIsWritten(string kind, string file, string expected)
    {
        using var data = new TempDirectory();
        using var work = new TempDirectory();
        IdxDataSetTests.WriteSmallDataSet(data.Path, gzip: true, trainCount: 100, testCount: 50);
        var path = data.File(file);
        Craft(kind, data, path);

        var result = CliProcess.Run(["run", "--data-dir", data.Path, "--out", work.File("out"), "--no-download"]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("error: ", result.StandardError);
        Assert.Contains(kind == "missing" ? data.Path : path, result.StandardError);
        Assert.Contains(expected, result.StandardError);
        Assert.DoesNotContain("   at ", result.AllOutput);
        Assert.False(Directory.Exists(work.File("out")));
    }

    private static void Craft(string kind, TempDirectory data, string path)
    {
        var gz = data.File(TrainImages);
        switch (kind)
        {
            case "empty": File.WriteAllBytes(path, []); break;
            case "directory": File.Delete(path); Directory.CreateDirectory(path); break;
            case "not-gzip": File.WriteAllText(path, "this is text, not gzip"); break;
            case "gzip-truncated": var bytes = File.ReadAllBytes(path); File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]); break;
            case "missing": File.Delete(path); break;
            case "count-mismatch": IdxWriter.WriteImages(path, RealMnist.DataSet.Train.Slice(0, 99)); break;
            case "label-out-of-range":
                File.Delete(data.File(TrainLabels));
                var labels = RealMnist.DataSet.Train.Labels[..100].ToArray();
                labels[42] = 12;
                var raw = new byte[8 + 100];
                BinaryPrimitives.WriteInt32BigEndian(raw, IdxReader.LabelsMagic);
                BinaryPrimitives.WriteInt32BigEndian(raw.AsSpan(4), 100);
                for (int i = 0; i < labels.Length; i++) raw[8 + i] = (byte)labels[i];
                File.WriteAllBytes(path, raw);
                break;
            default: // raw image files replacing the gzip one
                File.Delete(gz);
                File.WriteAllBytes(path, kind switch
                {
                    "wrong-magic" => RawImagesHeader(0x1234, 100, 28, 28, 100 * 784),
                    "wrong-rank" => RawImagesHeader(0x0802, 100, 28, 28, 100 * 784),
                    "14x14" => RawImagesHeader(IdxReader.ImagesMagic, 100, 14, 14, 100 * 196),
                    "4x4" => RawImagesHeader(IdxReader.ImagesMagic, 100, 4, 4, 100 * 16),
                    "fewer-bytes" => RawImagesHeader(IdxReader.ImagesMagic, 100, 28, 28, 50 * 784),
                    "billions" => RawImagesHeader(IdxReader.ImagesMagic, 2_000_000_000, 1, 1, 100),
                    _ => throw new ArgumentOutOfRangeException(nameof(kind)),
                });
                break;
        }
    }

    [Fact]
    public void ADataSetThatIsNotTheRealMnistIsNamedAfterItsFolderWithANotice()
    {
        using var data = new TempDirectory();
        IdxDataSetTests.WriteSmallDataSet(data.Path, gzip: true, trainCount: 100, testCount: 50);
        var result = CliProcess.Run(["download", "--data-dir", data.Path]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("notice", result.AllOutput);
        Assert.Contains($"'{Path.GetFileName(data.Path)}'", result.AllOutput);
        Assert.DoesNotContain("unverified", result.AllOutput);
    }
}
