using MlNetMnist.Data;
using MlNetMnist.Tests.Support;
using static MlNetMnist.Tests.Support.ImageFileWriter;

namespace MlNetMnist.Tests.Data;

/// <summary>Every image format and color mode an image folder may hold, and every bad file, as real files.</summary>
public sealed class ImageFolderImageTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ImageFolderBuilder _set;

    public ImageFolderImageTests()
    {
        _set = new ImageFolderBuilder(Path.Combine(_dir.Path, "set"));
        _set.Classes(3, null, "a", "b");
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>The pixels training got for <paramref name="path"/>, whichever split it landed in.</summary>
    private static byte[] PixelsOf(ImageDataSet data, string path)
    {
        foreach (var split in new[] { data.Train, data.Test })
        {
            int i = split.Sources!.ToList().IndexOf(path);
            if (i >= 0) return split.Image(i).ToArray();
        }
        throw new InvalidOperationException($"{path} is in neither split.");
    }

    private static byte At(byte[] pixels, int channel, int x, int y, int side = 28) => pixels[channel * side * side + y * side + x];

    /// <summary>Black ink (a vertical bar at x = 10…13) on a fully transparent background whose hidden color is red.</summary>
    private static byte[] InkOnTransparent(int side = 28) => Rgba(side, side, (x, y) =>
        x * 28 / side is >= 10 and < 14 ? ((byte)0, (byte)0, (byte)0, (byte)255) : ((byte)255, (byte)0, (byte)0, (byte)0));

    [Theory]
    [InlineData(PngColor.Rgba, 8)]
    [InlineData(PngColor.Rgba, 16)]
    [InlineData(PngColor.GrayAlpha, 8)]
    [InlineData(PngColor.Palette, 8)]
    public void TransparentPixels_AreCompositedOntoWhite_NeverBlack(PngColor color, int depth)
    {
        var path = _set.PathOf("a", "transparent.png");
        Png(path, 28, 28, InkOnTransparent(), color, depth);
        var data = _set.Load(ImageFolderBuilder.NoCache with { Color = ColorMode.Gray });
        var pixels = PixelsOf(data, path);
        Assert.Equal(255, At(pixels, 0, 2, 5));   // background: white
        Assert.Equal(0, At(pixels, 0, 11, 5));    // ink stays black
        Assert.Contains(data.Notices, n => n.Contains("composited onto white") && n.Contains(path));
    }

    [Fact]
    public void HalfTransparentPixels_BlendWithWhite()
    {
        var path = _set.PathOf("a", "half.png");
        Png(path, 28, 28, Rgba(28, 28, (_, _) => ((byte)0, (byte)0, (byte)0, (byte)128)));
        var pixels = PixelsOf(_set.Load(ImageFolderBuilder.NoCache with { Color = ColorMode.Gray }), path);
        Assert.InRange(At(pixels, 0, 5, 5), 125, 129); // 255·(1 − 128/255)
    }

    [Fact]
    public void TransparentWebP_IsCompositedOntoWhite()
    {
        var path = _set.PathOf("b", "transparent.webp");
        WebP(path, 28, 28, InkOnTransparent());
        var pixels = PixelsOf(_set.Load(ImageFolderBuilder.NoCache with { Color = ColorMode.Gray }), path);
        Assert.Equal(255, At(pixels, 0, 2, 5));
        Assert.Equal(0, At(pixels, 0, 11, 5));
    }

    [Fact]
    public void TransparentGif_IsCompositedOntoWhite_AndOnlyItsFirstFrameIsUsed()
    {
        var path = _set.PathOf("b", "animated.gif");
        var second = Rgba(28, 28, (_, _) => ((byte)0, (byte)0, (byte)0, (byte)255)); // all black: must not be seen
        Gif(path, 28, 28, InkOnTransparent(), second);
        var pixels = PixelsOf(_set.Load(ImageFolderBuilder.NoCache with { Color = ColorMode.Gray }), path);
        Assert.Equal(255, At(pixels, 0, 2, 5));
        Assert.Equal(0, At(pixels, 0, 11, 5));
    }

    [Fact]
    public void SixteenBitGrayPng_DecodesToItsEightBitValues()
    {
        var path = _set.PathOf("a", "deep.png");
        var rgba = ImageFolderBuilder.Pattern(3);
        Png(path, 28, 28, rgba, PngColor.Gray, 16);
        var pixels = PixelsOf(_set.Load(), path);
        for (int i = 0; i < 28 * 28; i++) Assert.Equal(rgba[4 * i], pixels[i]);
    }

    [Fact]
    public void PalettePng_WithoutTransparency_DecodesToItsColors()
    {
        var path = _set.PathOf("a", "palette.png");
        var rgba = Rgba(28, 28, (x, y) => x < 14 ? ((byte)200, (byte)10, (byte)10, (byte)255) : ((byte)10, (byte)10, (byte)200, (byte)255));
        Png(path, 28, 28, rgba, PngColor.Palette);
        var data = _set.Load(ImageFolderBuilder.NoCache with { Color = ColorMode.Rgb });
        var pixels = PixelsOf(data, path);
        Assert.Equal((200, 10, 10), (At(pixels, 0, 3, 3), At(pixels, 1, 3, 3), At(pixels, 2, 3, 3)));
        Assert.Equal((10, 10, 200), (At(pixels, 0, 20, 3), At(pixels, 1, 20, 3), At(pixels, 2, 20, 3)));
        Assert.DoesNotContain(data.Notices, n => n.Contains("composited"));
    }

    [Fact]
    public void BmpGifJpegWebP_AllDecode_ToTheSamePicture()
    {
        var rgba = ImageFolderBuilder.Pattern(5);
        var paths = new Dictionary<string, string>
        {
            ["bmp"] = _set.PathOf("a", "p.bmp"),
            ["gif"] = _set.PathOf("a", "p.gif"),
            ["jpeg"] = _set.PathOf("b", "p.jpg"),
            ["webp"] = _set.PathOf("b", "p.webp"),
            ["JPEG upper case"] = _set.PathOf("b", "q.JPEG"),
        };
        Bmp(paths["bmp"], 28, 28, rgba);
        Gif(paths["gif"], 28, 28, rgba);
        Jpeg(paths["jpeg"], 28, 28, rgba, quality: 100);
        WebP(paths["webp"], 28, 28, rgba);
        Jpeg(paths["JPEG upper case"], 28, 28, rgba, quality: 100);
        var data = _set.Load();
        foreach (var (format, path) in paths)
        {
            var pixels = PixelsOf(data, path);
            int tolerance = format.StartsWith("JPEG", StringComparison.OrdinalIgnoreCase) ? 8 : 0;
            for (int i = 0; i < 28 * 28; i++)
                Assert.True(Math.Abs(pixels[i] - rgba[4 * i]) <= tolerance, $"{format}: pixel {i} is {pixels[i]}, expected {rgba[4 * i]}");
        }
    }

    [Fact]
    public void ExifOrientation_IsApplied()
    {
        // Stored: a bright left column. Orientation 6 (turn 90° clockwise to view): it becomes the top row.
        var stored = Rgba(28, 28, (x, _) => x < 4 ? ((byte)255, (byte)255, (byte)255, (byte)255) : ((byte)0, (byte)0, (byte)0, (byte)255));
        var path = _set.PathOf("a", "phone.jpg");
        Jpeg(path, 28, 28, stored, quality: 100, exifOrientation: 6);
        var data = _set.Load();
        var pixels = PixelsOf(data, path);
        Assert.True(At(pixels, 0, 14, 1) > 200, "the stored left column is on top");
        Assert.True(At(pixels, 0, 1, 14) < 50, "and no longer on the left");
        Assert.Contains(data.Notices, n => n.Contains("EXIF orientation") && n.Contains(path));
    }

    [Fact]
    public void AnySizeIsResized_ToTheImageSize()
    {
        var path = _set.PathOf("a", "big.png");
        Png(path, 300, 200, ImageFolderBuilder.ColorPattern(1, 300)[..(300 * 200 * 4)], PngColor.Rgb);
        var data = _set.Load(ImageFolderBuilder.NoCache with { ImageSize = 32 });
        Assert.Equal(new ImageShape(3, 32, 32), data.Description.Shape);
        Assert.Equal(3 * 32 * 32, PixelsOf(data, path).Length);
    }

    [Fact]
    public void ColorAuto_IsGray_WhenEveryImageIsGray_ElseRgb()
    {
        Assert.Equal(1, _set.Load().Description.Shape.Channels);
        Png(_set.PathOf("b", "color.png"), 28, 28, ImageFolderBuilder.ColorPattern(2), PngColor.Rgb);
        var data = _set.Load();
        Assert.Equal(3, data.Description.Shape.Channels);
        Assert.Equal(3, data.Description.Normalization.Channels);
        Assert.Equal(1, _set.Load(ImageFolderBuilder.NoCache with { Color = ColorMode.Gray }).Description.Shape.Channels);
    }

    [Fact]
    public void RgbGrayImages_CountAsGray()
    {
        // Gray content saved as RGB (as screenshots are): still a gray data set.
        Png(_set.PathOf("b", "rgb-gray.png"), 28, 28, ImageFolderBuilder.Pattern(9), PngColor.Rgb);
        Assert.Equal(1, _set.Load().Description.Shape.Channels);
    }

    [Fact]
    public void TruncatedPng_StopsTheLoad_NamingTheFile()
    {
        var path = _set.PathOf("a", "cut.png");
        Png(path, 28, 28, ImageFolderBuilder.ColorPattern(3), PngColor.Rgb);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        _set.LoadFails(null, path, DataSetError.BadImage, "is a damaged PNG file: it is truncated", "--skip-bad-images");
    }

    [Fact]
    public void CorruptPngData_StopsTheLoad_NamingTheFile()
    {
        var path = _set.PathOf("a", "corrupt.png");
        Png(path, 28, 28, ImageFolderBuilder.ColorPattern(3), PngColor.Rgb);
        var bytes = File.ReadAllBytes(path);
        for (int i = 50; i < 70; i++) bytes[i] ^= 0x5A; // inside IDAT
        File.WriteAllBytes(path, bytes);
        _set.LoadFails(null, path, DataSetError.BadImage, "corrupt IDAT chunk");
    }

    [Theory]
    [InlineData("jpg")]
    [InlineData("gif")]
    [InlineData("bmp")]
    [InlineData("webp")]
    public void TruncatedFilesOfEveryFormat_AreNamed(string format)
    {
        var path = _set.PathOf("b", $"cut.{format}");
        var rgba = ImageFolderBuilder.ColorPattern(4, 64)[..(64 * 64 * 4)];
        switch (format)
        {
            case "jpg": Jpeg(path, 64, 64, rgba); break;
            case "gif": Gif(path, 28, 28, ImageFolderBuilder.Pattern(4)); break;
            case "bmp": Bmp(path, 64, 64, rgba); break;
            default: WebP(path, 64, 64, rgba); break;
        }
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
        _set.LoadFails(null, path, DataSetError.BadImage, "truncated");
    }

    [Fact]
    public void JpegWithDataAfterItsEnd_IsComplete()
    {
        // Some phones append kilobytes after the end-of-image marker; that is no truncation.
        var path = _set.PathOf("b", "phone.jpg");
        Jpeg(path, 28, 28, ImageFolderBuilder.Pattern(2));
        File.AppendAllText(path, new string('x', 20_000));
        var data = _set.Load();
        Assert.Empty(data.SkippedFiles);
        Assert.Contains(path, data.Train.Sources!.Concat(data.Test.Sources!));
    }

    [Fact]
    public void SkipBadImages_LeavesOutEveryBadFile_AndListsEachOne()
    {
        var cut = _set.PathOf("a", "cut.png");
        Png(cut, 28, 28, ImageFolderBuilder.Pattern(3), PngColor.Gray);
        File.WriteAllBytes(cut, File.ReadAllBytes(cut)[..40]);
        var text = _set.PathOf("b", "notes.jpg");
        File.WriteAllText(text, "this is text, not a JPEG");
        _set.LoadFails(null, cut, DataSetError.BadImage, "1 more file is bad too");

        var data = _set.Load(ImageFolderBuilder.NoCache with { SkipBadImages = true });
        Assert.Equal(2, data.SkippedFiles.Count);
        Assert.StartsWith(cut + ": ", data.SkippedFiles[0]);
        Assert.StartsWith(text + ": ", data.SkippedFiles[1]);
        Assert.Equal(6, data.Train.Count + data.Test.Count);
        Assert.DoesNotContain(cut, data.Train.Sources!.Concat(data.Test.Sources!));
        Assert.Contains("2 unreadable files skipped", DataSetCounts.Of(data).Headline);
    }

    [Fact]
    public void NonImageWithAnImageExtension_IsNamed()
    {
        var path = _set.PathOf("b", "readme.png");
        File.WriteAllText(path, "# not a picture");
        _set.LoadFails(null, path, DataSetError.BadImage, "is not an image", "whatever its extension says");
    }

    [Fact]
    public void EmptyFile_IsNamed()
    {
        var path = _set.PathOf("b", "empty.jpg");
        File.WriteAllBytes(path, []);
        _set.LoadFails(null, path, DataSetError.BadImage, "is empty");
    }

    [Fact]
    public void ImageOverThePixelLimit_IsRefusedFromItsHeader_BeforeDecoding()
    {
        // A valid PNG header declaring 5000×5000 with almost no data: decoding it would need 100 MB.
        var path = _set.PathOf("a", "huge.png");
        Png(path, 5000, 1, new byte[5000 * 4], PngColor.Gray);
        var bytes = File.ReadAllBytes(path);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), 5000); // height in IHDR
        FixIhdrCrc(bytes);
        File.WriteAllBytes(path, bytes);
        _set.LoadFails(null, path, DataSetError.BadDimensions, "5,000×5,000 pixels", "4096×4096");
    }

    [Fact]
    public void FileOverTheByteLimit_IsRefused_BeforeReading()
    {
        var path = _set.PathOf("a", "huge.bmp");
        Bmp(path, 28, 28, ImageFolderBuilder.Pattern(1));
        using (var f = new FileStream(path, FileMode.Open)) f.SetLength(ImageFileHeader.MaxFileBytes + 1);
        _set.LoadFails(null, path, DataSetError.BadDimensions, "20 MiB");
    }

    private static void FixIhdrCrc(byte[] png)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in png.AsSpan(12, 17))
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), ~crc);
    }
}
