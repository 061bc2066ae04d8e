using MlNetMnist.Data;

namespace MlNetMnist.Tests.Support;

/// <summary>
/// Writes the real MNIST images (read from the IDX files at test time, never committed) as image
/// folders: <c>train/0…9</c> and <c>test/0…9</c> of gray PNG files, or colored RGB variants.
/// </summary>
public static class MnistImageFolders
{
    /// <summary>
    /// Writes the first <paramref name="trainCount"/> training and <paramref name="testCount"/> test
    /// images (null: all 60,000 / 10,000) as 28×28 gray PNGs, <c>root/train/{digit}/{index:D5}.png</c>
    /// and <c>root/test/…</c>; with <paramref name="splitFolders"/> false, all of them in <c>root/{digit}/</c>.
    /// Returns the files written per split.
    /// </summary>
    public static (int Train, int Test) WritePng(string mnistDirectory, string root, int? trainCount = null, int? testCount = null, bool splitFolders = true)
    {
        var mnist = IdxDataSet.Load(mnistDirectory);
        int train = Write(mnist.Train, Math.Min(trainCount ?? int.MaxValue, mnist.Train.Count), splitFolders ? Path.Combine(root, "train") : root, "train",
            (path, image, _) => ImageFileWriter.Png(path, 28, 28, ImageFileWriter.GrayToRgba(image), ImageFileWriter.PngColor.Gray));
        int test = Write(mnist.Test, Math.Min(testCount ?? int.MaxValue, mnist.Test.Count), splitFolders ? Path.Combine(root, "test") : root, "test",
            (path, image, _) => ImageFileWriter.Png(path, 28, 28, ImageFileWriter.GrayToRgba(image), ImageFileWriter.PngColor.Gray));
        return (train, test);
    }

    /// <summary>
    /// Writes MNIST digits as RGB PNGs of <paramref name="side"/>×<paramref name="side"/>: each digit's ink
    /// in a random color on a random background (seeded per image), centered on the larger canvas.
    /// </summary>
    public static (int Train, int Test) WriteColored(string mnistDirectory, string root, int trainCount, int testCount, int side = 32, int seed = 1)
    {
        var mnist = IdxDataSet.Load(mnistDirectory);
        void Colored(string path, ReadOnlySpan<byte> image, int index)
        {
            var random = new Random(seed * 1_000_003 + index * 2 + (Path.GetFileName(path).StartsWith("test", StringComparison.Ordinal) ? 1 : 0));
            var ink = (R: random.Next(256), G: random.Next(256), B: random.Next(256));
            var background = (R: 255 - ink.R, G: random.Next(256), B: 255 - ink.B);
            var gray = image.ToArray();
            int offset = (side - 28) / 2;
            var rgba = ImageFileWriter.Rgba(side, side, (x, y) =>
            {
                int gx = x - offset, gy = y - offset;
                int g = gx is >= 0 and < 28 && gy is >= 0 and < 28 ? gray[gy * 28 + gx] : 0;
                byte Mix(int bg, int fg) => (byte)((bg * (255 - g) + fg * g + 127) / 255);
                return (Mix(background.R, ink.R), Mix(background.G, ink.G), Mix(background.B, ink.B), (byte)255);
            });
            ImageFileWriter.Png(path, side, side, rgba, ImageFileWriter.PngColor.Rgb);
        }
        int train = Write(mnist.Train, Math.Min(trainCount, mnist.Train.Count), Path.Combine(root, "train"), "train", Colored);
        int test = Write(mnist.Test, Math.Min(testCount, mnist.Test.Count), Path.Combine(root, "test"), "test", Colored);
        return (train, test);
    }

    private delegate void ImageWriter(string path, ReadOnlySpan<byte> image, int index);

    private static int Write(ImageSplit split, int count, string folder, string prefix, ImageWriter write)
    {
        for (int digit = 0; digit < split.ClassCount; digit++) Directory.CreateDirectory(Path.Combine(folder, digit.ToString()));
        Parallel.For(0, count, i => write(Path.Combine(folder, split.Labels[i].ToString(), $"{prefix}-{i:D5}.png"), split.Image(i), i));
        return count;
    }
}
