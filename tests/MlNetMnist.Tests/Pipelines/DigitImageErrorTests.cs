using System.Buffers.Binary;
using MlNetMnist.Pipelines.Images;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Pipelines;

/// <summary>Every bad image is a <see cref="DigitImageException"/> naming the file and the problem, never a native error.</summary>
public sealed class DigitImageErrorTests
{
    private static DigitImageException Fails(string path, DigitImageError error, string words)
    {
        var e = Assert.Throws<DigitImageException>(() => DigitImageLoader.Load(path));
        Assert.Equal(error, e.Error);
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(words, e.Problem);
        return e;
    }

    /// <summary>A PNG signature and an IHDR chunk declaring <paramref name="width"/>×<paramref name="height"/>, then junk instead of pixels.</summary>
    internal static byte[] PngHeader(int width, int height)
    {
        var bytes = new byte[33 + 64];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' }.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), height);
        bytes[24] = 8;
        bytes[25] = 0;
        new Random(1).NextBytes(bytes.AsSpan(33));
        return bytes;
    }

    [Fact]
    public void AMissingFileOrADirectoryIsFileMissing()
    {
        using var dir = new TempDirectory();
        Fails(dir.File("nope.png"), DigitImageError.FileMissing, "not found");
        Fails(dir.Path, DigitImageError.FileMissing, "directory");
    }

    [Fact]
    public void ATextFileRenamedPngIsNotAnImage()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("digit.png"), "this is a text file, not a picture of a 7\n");
        Fails(dir.File("digit.png"), DigitImageError.NotAnImage, "is not an image");
    }

    [Fact]
    public void AnEmptyFileOrStreamIsEmptyFile()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("empty.jpg"), []);
        Fails(dir.File("empty.jpg"), DigitImageError.EmptyFile, "empty (0 bytes)");
        var e = Assert.Throws<DigitImageException>(() => DigitImageLoader.Load(new MemoryStream(), "upload"));
        Assert.Equal((DigitImageError.EmptyFile, "upload"), (e.Error, e.FilePath));
    }

    [Theory]
    [InlineData(255, ".png")]
    [InlineData(0, ".jpg")]
    [InlineData(128, ".png")]
    public void AnImageWithNoInkIsBlank(byte gray, string extension)
    {
        using var dir = new TempDirectory();
        var path = new GrayCanvas(120, 90, gray).Save(dir.File("blank" + extension));
        Fails(path, DigitImageError.Blank, "no ink");
    }

    [Fact]
    public void InkTooFaintToTellFromTheBackgroundIsBlank()
    {
        using var dir = new TempDirectory();
        var path = new GrayCanvas(120, 90, 200).Line(60, 10, 60, 80, 10, ink: 185).Save(dir.File("faint.png"));
        Fails(path, DigitImageError.Blank, "no ink");
    }

    [Fact]
    public void BlackStrokesOnATransparentBackgroundAreReadOnWhiteLikeTheSameStrokesOnPaper()
    {
        // A drawing canvas saves black strokes on transparent pixels: decoded as they are, the
        // premultiplied colors are black on black and the digit vanishes. Composited onto white,
        // it is the same digit as the opaque drawing.
        using var dir = new TempDirectory();
        var canvas = new GrayCanvas(120, 90, 255).Line(60, 10, 60, 80, 10, ink: 0).Line(40, 12, 60, 10, 8, ink: 0);
        var transparent = DigitImageLoader.Preprocess(canvas.SaveTransparent(dir.File("canvas.png")));
        var opaque = DigitImageLoader.Preprocess(canvas.Save(dir.File("paper.png")));
        Assert.True(transparent.WasInverted);
        Assert.Equal(opaque.Pixels.ToArray(), transparent.Pixels.ToArray());
        Assert.True(transparent.Pixels.ToArray().Count(p => p > 128) > 20, "the strokes survive");
    }

    [Fact]
    public void AnImageWithTooManyPixelsIsRefusedOnItsHeaderBeforeDecoding()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("huge.png"), ImageFileWriter.PngDeclaring(5000, 5000));
        Fails(dir.File("huge.png"), DigitImageError.TooLarge, "5,000×5,000");
        // A whole JPEG (start of frame, start of scan, one byte of scan data, end of image) whose
        // start-of-frame (SOF0) declares 8000×3000.
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 11, 8, 0x0B, 0xB8, 0x1F, 0x40, 1, 1, 0x11, 0,
            0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 0x3F, 0, 0, 0xFF, 0xD9];
        File.WriteAllBytes(dir.File("huge.jpg"), jpeg);
        Fails(dir.File("huge.jpg"), DigitImageError.TooLarge, "8,000×3,000");
    }

    [Fact]
    public void AFileOrStreamOver20MiBIsRefusedBeforeItIsRead()
    {
        using var dir = new TempDirectory();
        using (var file = File.Create(dir.File("big.png")))
        {
            file.Write(PngHeader(100, 100));
            file.SetLength(DigitImageLoader.MaxFileBytes + 1);
        }
        Fails(dir.File("big.png"), DigitImageError.TooLarge, "20 MiB");
        var e = Assert.Throws<DigitImageException>(() => DigitImageLoader.Load(new NonSeekableStream(new byte[DigitImageLoader.MaxFileBytes + 10])));
        Assert.Equal(DigitImageError.TooLarge, e.Error);
    }

    [Fact]
    public void APngWithAValidHeaderButJunkPixelsOrNoHeaderIsCorrupt()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("junk.png"), PngHeader(64, 64));
        Fails(dir.File("junk.png"), DigitImageError.Corrupt, "damaged PNG");
        File.WriteAllBytes(dir.File("cut.png"), PngHeader(64, 64)[..12]);
        Fails(dir.File("cut.png"), DigitImageError.Corrupt, "damaged PNG");
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
