using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetMnist.Data;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Data;

/// <summary>
/// Real MNIST images written as PNG folders at test time, and the crucial property of image folders:
/// training sees exactly the pixels that ML.NET's own transforms (what <c>model.zip</c> runs on an
/// image path) produce for the same file.
/// </summary>
public sealed class ImageFolderMnistTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    [Trait("Category", "Slow")]
    public void MnistAsPngFolders_LoadsTheIdxPixels_Exactly()
    {
        var root = Path.Combine(_dir.Path, "mnist-png");
        var (trainCount, testCount) = MnistImageFolders.WritePng(RealMnist.Directory, root, 3000, 600);
        var data = ImageFolderDataSet.Load(root, ImageFolderBuilder.NoCache);
        var idx = IdxDataSet.Load(RealMnist.Directory);

        Assert.Equal(new ImageShape(1, 28, 28), data.Description.Shape);
        Assert.Equal(Enumerable.Range(0, 10).Select(d => d.ToString()), data.Description.ClassNames);
        Assert.Equal((trainCount, testCount), (data.Train.Count, data.Test.Count));
        Assert.Equal($"Found {trainCount + testCount:N0} images in 10 classes ({trainCount:N0} train, {testCount:N0} test)", DataSetCounts.Of(data).Headline);
        foreach (var (split, source) in new[] { (data.Train, idx.Train), (data.Test, idx.Test) })
        {
            for (int i = 0; i < split.Count; i++)
            {
                // train-00042.png is IDX image 42 of its split.
                int original = int.Parse(Path.GetFileNameWithoutExtension(split.Sources![i]).Split('-')[1]);
                Assert.Equal(source.Labels[original], split.Labels[i]);
                Assert.True(source.Image(original).SequenceEqual(split.Image(i)), $"{split.Sources[i]} differs from IDX image {original}");
            }
        }
        var mean = data.Description.Normalization.Mean[0];
        Assert.InRange(mean, 0.12, 0.14);
    }

    [Fact]
    public void ColoredMnist_LoadsAsRgb()
    {
        var root = Path.Combine(_dir.Path, "colored");
        MnistImageFolders.WriteColored(RealMnist.Directory, root, 500, 100, side: 32);
        var data = ImageFolderDataSet.Load(root, ImageFolderBuilder.NoCache with { ImageSize = 32 });
        Assert.Equal(new ImageShape(3, 32, 32), data.Description.Shape);
        Assert.Equal(3, data.Description.Normalization.Channels);
        Assert.Equal(600, data.Train.Count + data.Test.Count);
    }

    /// <summary>The pixels of ML.NET's chain (<see cref="ImageFileTransforms.Append"/>, from the path) for each file.</summary>
    private static float[][] ModelZipPixels(ImageShape shape, IReadOnlyList<string> paths)
    {
        var ml = new MLContext(seed: 1);
        var transformer = ImageFileTransforms.Append(ml, shape).Fit(ImageFileTransforms.EmptyInput(ml));
        var input = ml.Data.LoadFromEnumerable(paths.Select(p => new ImagePathRow { ImagePath = p }));
        var output = transformer.Transform(input);
        return output.GetColumn<VBuffer<float>>(ImageFileTransforms.PixelsColumn).Select(v => v.DenseValues().ToArray()).ToArray();
    }

    private static void AssertSamePixels(ImageDataSet data, IReadOnlyList<string>? only = null)
    {
        foreach (var split in new[] { data.Train, data.Test })
        {
            var indices = Enumerable.Range(0, split.Count).Where(i => only is null || only.Contains(split.Sources![i])).ToArray();
            var expected = ModelZipPixels(split.Shape, indices.Select(i => split.Sources![i]).ToArray());
            for (int k = 0; k < indices.Length; k++)
            {
                var trained = split.Image(indices[k]);
                Assert.Equal(split.Shape.PixelCount, expected[k].Length);
                for (int p = 0; p < trained.Length; p++)
                    if (trained[p] != expected[k][p])
                        Assert.Fail($"{split.Sources![indices[k]]}: value {p} is {trained[p]} in training but {expected[k][p]} through LoadImages → ResizeImages → ExtractPixels.");
            }
        }
    }

    [Theory]
    [InlineData(ColorMode.Auto, 28)]
    [InlineData(ColorMode.Gray, 20)]
    [InlineData(ColorMode.Rgb, 32)]
    public void TrainingPixels_AreModelZipsPixels_OnRealFiles(ColorMode color, int size)
    {
        // Real MNIST PNGs, colored MNIST at another size, and every other format, resized and converted.
        var root = Path.Combine(_dir.Path, "mixed");
        MnistImageFolders.WritePng(RealMnist.Directory, root, 200, 100);
        var colored = Path.Combine(_dir.Path, "colored");
        MnistImageFolders.WriteColored(RealMnist.Directory, colored, 30, 10, side: 40);
        foreach (var file in Directory.GetFiles(colored, "*.png", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(root, Path.GetRelativePath(colored, file).Replace(".png", "-colored.png")));
        var set = new ImageFolderBuilder(root);
        var photo = ImageFolderBuilder.ColorPattern(7, 90)[..(90 * 60 * 4)];
        ImageFileWriter.Jpeg(set.PathOf("train", "3", "photo.jpg"), 90, 60, photo, quality: 85);
        ImageFileWriter.WebP(set.PathOf("train", "4", "photo.webp"), 90, 60, photo);
        ImageFileWriter.Bmp(set.PathOf("test", "5", "photo.bmp"), 90, 60, photo);
        ImageFileWriter.Gif(set.PathOf("test", "6", "digit.gif"), 28, 28, ImageFolderBuilder.Pattern(1));
        ImageFileWriter.Png(set.PathOf("train", "7", "deep.png"), 90, 60, photo, ImageFileWriter.PngColor.Rgb, 16);

        var data = ImageFolderDataSet.Load(root, ImageFolderBuilder.NoCache with { Color = color, ImageSize = size });
        Assert.Equal(color == ColorMode.Gray ? 1 : 3, data.Description.Shape.Channels);
        AssertSamePixels(data);
    }

    [Theory]
    [InlineData(28)]
    [InlineData(20)]
    [InlineData(40)]
    public void AutoGray_IsModelZipsGrayChain_OnGrayFilesOfEveryLevel(int size)
    {
        // Auto decides gray from the RGB pixels and keeps their red plane; model.zip's one-channel
        // chain runs ConvertToGrayscale: on gray images (RGB-stored too) both must agree exactly.
        var root = Path.Combine(_dir.Path, "gray");
        MnistImageFolders.WritePng(RealMnist.Directory, root, 200, 100);
        var set = new ImageFolderBuilder(root);
        var levels = ImageFileWriter.Rgba(16, 16, (x, y) => ((byte)(y * 16 + x), (byte)(y * 16 + x), (byte)(y * 16 + x), (byte)255));
        ImageFileWriter.Png(set.PathOf("train", "1", "levels.png"), 16, 16, levels, ImageFileWriter.PngColor.Rgb);
        ImageFileWriter.Png(set.PathOf("train", "2", "levels-big.png"), 16, 16, levels, ImageFileWriter.PngColor.Gray);
        ImageFileWriter.Jpeg(set.PathOf("test", "3", "gray.jpg"), 16, 16, levels, quality: 90);
        var data = ImageFolderDataSet.Load(root, ImageFolderBuilder.NoCache with { ImageSize = size });
        Assert.Equal(1, data.Description.Shape.Channels);
        AssertSamePixels(data);
    }

    [Fact]
    public void PreparedFiles_AreModelZipsPixelsOfTheirPreparedCopies()
    {
        // Files with transparency or an EXIF orientation: ML.NET's chain on ImageFilePreparation's copy
        // is what training saw, so a scorer that prepares files the same way gets the training pixels.
        var set = new ImageFolderBuilder(Path.Combine(_dir.Path, "prepared"));
        set.Classes(3, null, "a", "b");
        var transparent = set.PathOf("a", "t.png");
        ImageFileWriter.Png(transparent, 40, 40, ImageFileWriter.Rgba(40, 40, (x, y) => x > 20 ? ((byte)0, (byte)90, (byte)0, (byte)255) : ((byte)255, (byte)0, (byte)0, (byte)0)));
        var turned = set.PathOf("b", "t.jpg");
        ImageFileWriter.Jpeg(turned, 40, 30, ImageFolderBuilder.ColorPattern(3, 40)[..(40 * 30 * 4)], exifOrientation: 8);
        var data = set.Load(ImageFolderBuilder.NoCache with { Color = ColorMode.Rgb });

        var copies = new List<string>();
        foreach (var path in new[] { transparent, turned })
        {
            var bytes = File.ReadAllBytes(path);
            var header = ImageFileHeader.Read(bytes, out var problem, out _);
            Assert.Null(problem);
            var copy = Path.Combine(_dir.Path, Path.GetFileName(path) + ".prepared.png");
            Assert.NotEqual(ImageFilePreparation.Changes.None, ImageFilePreparation.Prepare(bytes, header, copy));
            copies.Add(copy);
        }
        var expected = ModelZipPixels(data.Description.Shape, copies);
        foreach (var (path, pixels) in new[] { transparent, turned }.Zip(expected))
        {
            var split = data.Train.Sources!.Contains(path) ? data.Train : data.Test;
            var trained = split.Image(split.Sources!.ToList().IndexOf(path)).ToArray();
            Assert.Equal(pixels.Select(v => (byte)v).ToArray(), trained);
        }
        // And the raw files through model.zip's chain alone: transparent pixels come out black (documented).
        var raw = ModelZipPixels(data.Description.Shape, [transparent]);
        Assert.Equal(0f, raw[0][0]);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void ImageFolderWriter_WritesSplitsThatLoadBackExactly_GrayAndRgb()
    {
        var mnist = IdxDataSet.Load(RealMnist.Directory);
        var names = mnist.Description.ClassNames;
        var gray = Path.Combine(_dir.Path, "written-gray");
        ImageFolderWriter.Write(mnist.Train.Slice(0, 500), names, Path.Combine(gray, "train"), "train");
        ImageFolderWriter.Write(mnist.Test.Slice(0, 200), names, Path.Combine(gray, "test"), "test");
        var loaded = ImageFolderDataSet.Load(gray, ImageFolderBuilder.NoCache);
        AssertSameImages(mnist.Train.Slice(0, 500), loaded.Train);

        var colored = Path.Combine(_dir.Path, "colored");
        MnistImageFolders.WriteColored(RealMnist.Directory, colored, 300, 100, side: 32);
        var rgb = ImageFolderDataSet.Load(colored, ImageFolderBuilder.NoCache with { ImageSize = 32 });
        var rewritten = Path.Combine(_dir.Path, "written-rgb");
        ImageFolderWriter.Write(rgb.Train, rgb.Description.ClassNames, Path.Combine(rewritten, "train"), "train");
        ImageFolderWriter.Write(rgb.Test, rgb.Description.ClassNames, Path.Combine(rewritten, "test"), "test");
        AssertSameImages(rgb.Train, ImageFolderDataSet.Load(rewritten, ImageFolderBuilder.NoCache with { ImageSize = 32 }).Train);
    }

    /// <summary>The same images and labels, matched by the index in the written file's name.</summary>
    private static void AssertSameImages(ImageSplit written, ImageSplit loaded)
    {
        Assert.Equal(written.Count, loaded.Count);
        Assert.Equal(written.Shape, loaded.Shape);
        for (int i = 0; i < loaded.Count; i++)
        {
            int original = int.Parse(Path.GetFileNameWithoutExtension(loaded.Sources![i]).Split('-')[1]);
            Assert.Equal(written.Labels[original], loaded.Labels[i]);
            Assert.True(written.Image(original).SequenceEqual(loaded.Image(i)), $"{loaded.Sources[i]} differs from image {original}");
        }
    }
}
