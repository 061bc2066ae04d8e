using Microsoft.ML.Data;
using MlNetMnist.Data;

namespace MlNetMnist.Pipelines.Images;

/// <summary>
/// A user's image after MNIST-style preprocessing: 28×28 pixels, light ink (up to 255) on a black
/// (0) background, the digit fitted into 20×20 and centered by its center of mass. Show
/// <see cref="Pixels"/> to the user to explain a prediction; pass <see cref="ToInput"/> to the model.
/// </summary>
public sealed class PreprocessedDigit
{
    private readonly byte[] _pixels;

    internal PreprocessedDigit(byte[] pixels, int sourceWidth, int sourceHeight, bool wasInverted)
    {
        _pixels = pixels;
        SourceWidth = sourceWidth;
        SourceHeight = sourceHeight;
        WasInverted = wasInverted;
    }

    /// <summary>The 784 preprocessed pixels, row-major 28×28, 0 (background) to 255 (ink).</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>The width of the source image in pixels.</summary>
    public int SourceWidth { get; }

    /// <summary>The height of the source image in pixels.</summary>
    public int SourceHeight { get; }

    /// <summary>True when the source had dark ink on a light background and was inverted.</summary>
    public bool WasInverted { get; }

    /// <summary>The model input for these pixels.</summary>
    public DigitInput ToInput() => DigitInput.FromBytes(_pixels);

    /// <summary>Saves the 28×28 pixels as an image (white ink on black), PNG or JPEG by the extension of <paramref name="path"/>.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bgra = new byte[MnistCatalog.Shape.PixelCount * 4];
        for (int i = 0; i < _pixels.Length; i++)
        {
            bgra[4 * i] = bgra[4 * i + 1] = bgra[4 * i + 2] = _pixels[i];
            bgra[4 * i + 3] = 255;
        }
        using var image = MLImage.CreateFromPixels(MnistCatalog.Shape.Width, MnistCatalog.Shape.Height, MLPixelFormat.Bgra32, bgra);
        image.Save(path);
    }
}
