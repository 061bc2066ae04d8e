using MlNetMnist.Pipelines.Images;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Pipelines;

/// <summary>MNIST-style preprocessing of real image files: polarity, 20×20 fit, center of mass.</summary>
public sealed class DigitImagePreprocessingTests
{
    private static (double X, double Y) CenterOfMass(ReadOnlySpan<byte> pixels)
    {
        double mass = 0, x = 0, y = 0;
        for (int i = 0; i < pixels.Length; i++)
        {
            mass += pixels[i];
            x += pixels[i] * (i % 28);
            y += pixels[i] * (i / 28);
        }
        return (x / mass, y / mass);
    }

    private static (int Width, int Height) InkBox(ReadOnlySpan<byte> pixels)
    {
        int left = 28, top = 28, right = -1, bottom = -1;
        for (int i = 0; i < pixels.Length; i++)
        {
            if (pixels[i] == 0) continue;
            left = Math.Min(left, i % 28); right = Math.Max(right, i % 28);
            top = Math.Min(top, i / 28); bottom = Math.Max(bottom, i / 28);
        }
        return (right - left + 1, bottom - top + 1);
    }

    [Theory]
    [InlineData(".png")]
    [InlineData(".jpg")]
    public void TheOutputIs28By28CenteredByMassAndFitsIn20By20(string extension)
    {
        using var dir = new TempDirectory();
        // A tall, thin, off-center stroke with a hook: its center of mass is not its box's center.
        var path = new GrayCanvas(400, 300, background: 240)
            .Line(300, 30, 300, 270, 14, ink: 20).Line(300, 30, 240, 90, 14, 20).Line(240, 270, 360, 270, 14, 20)
            .Save(dir.File("digit" + extension));

        var digit = DigitImageLoader.Preprocess(path);

        Assert.Equal(784, digit.Pixels.Length);
        Assert.Equal((400, 300), (digit.SourceWidth, digit.SourceHeight));
        Assert.True(digit.WasInverted);
        var (x, y) = CenterOfMass(digit.Pixels);
        Assert.InRange(x, 13.4, 14.6); // MNIST puts it at pixel (14, 14), rounded
        Assert.InRange(y, 13.4, 14.6);
        var (width, height) = InkBox(digit.Pixels);
        Assert.InRange(width, 1, 20);
        Assert.Equal(20, height);
        Assert.Equal(255, digit.Pixels.ToArray().Max());
        Assert.Equal(0, digit.Pixels[0]);
    }

    [Fact]
    public void LightInkOnDarkIsNotInvertedAndGivesTheSameResultAsDarkOnLight()
    {
        using var dir = new TempDirectory();
        var image = RealMnist.DataSet.Test.Image(3);
        var lightOnDark = DigitImageLoader.Preprocess(new GrayCanvas(300, 300, 0).PasteMnist(image, 10, 5, 10, invert: false).Save(dir.File("a.png")));
        var darkOnLight = DigitImageLoader.Preprocess(new GrayCanvas(300, 300, 255).PasteMnist(image, 10, 5, 10, invert: true).Save(dir.File("b.png")));

        Assert.False(lightOnDark.WasInverted);
        Assert.True(darkOnLight.WasInverted);
        Assert.Equal(lightOnDark.Pixels.ToArray(), darkOnLight.Pixels.ToArray());
    }

    [Fact]
    public void AnMnistImageSavedAsItIsComesBackNearlyUnchanged()
    {
        using var dir = new TempDirectory();
        var original = RealMnist.DataSet.Test.Image(0).ToArray();
        var path = new GrayCanvas(28, 28, 0).PasteMnist(original, 0, 0, 1, invert: false).Save(dir.File("mnist.png"));

        var digit = DigitImageLoader.Preprocess(path);

        double meanDifference = original.Zip(digit.Pixels.ToArray(), (a, b) => Math.Abs(a - b)).Average();
        Assert.True(meanDifference < 1, $"mean |difference| = {meanDifference:F1} gray levels");
    }

    [Fact]
    public void AStreamLoadsLikeTheFileAndTheResultCanBeSavedForTheUser()
    {
        using var dir = new TempDirectory();
        var path = new GrayCanvas(200, 200, 255).Line(100, 20, 100, 180, 16, 0).Save(dir.File("one.jpg"));
        var fromFile = DigitImageLoader.Preprocess(path);
        using var stream = File.OpenRead(path);
        var fromStream = DigitImageLoader.Load(stream, "upload.jpg");

        Assert.Equal(fromFile.Pixels.ToArray().Select(p => (float)p), fromStream.Pixels);
        fromFile.Save(dir.File("preprocessed.png"));
        var again = DigitImageLoader.Preprocess(dir.File("preprocessed.png"));
        Assert.False(again.WasInverted);
        Assert.Equal((28, 28), (again.SourceWidth, again.SourceHeight));
    }
}
