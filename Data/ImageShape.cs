using System.Globalization;
using System.Text.Json;

namespace MlNetMnist.Data;

/// <summary>
/// The shape of one image as a model sees it: <see cref="Channels"/> planes (1 for grayscale, 3 for
/// RGB) of <see cref="Height"/> × <see cref="Width"/> pixels. Pixels are stored channel by channel,
/// each plane row by row (C·H·W order), as the ONNX input and ML.NET's <c>ExtractPixels</c> lay them out.
/// </summary>
/// <param name="Channels">1 (grayscale) or 3 (red, green, blue).</param>
/// <param name="Height">Rows of pixels.</param>
/// <param name="Width">Columns of pixels.</param>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>The smallest side a model accepts.</summary>
    public const int MinSide = 8;

    /// <summary>The largest side a model accepts.</summary>
    public const int MaxSide = 128;

    /// <summary>Values per image: <c>Channels × Height × Width</c>.</summary>
    public int PixelCount => Channels * Height * Width;

    /// <summary>Pixels per channel plane: <c>Height × Width</c>.</summary>
    public int PlaneSize => Height * Width;

    /// <summary>The shape as a JSON array <c>[C, H, W]</c>, as stored under the ONNX metadata key <c>image_shape</c>.</summary>
    public string ToJson() => string.Create(CultureInfo.InvariantCulture, $"[{Channels},{Height},{Width}]");

    /// <summary>Reads a JSON array <c>[C, H, W]</c>; null when <paramref name="json"/> is not one.</summary>
    public static ImageShape? TryParseJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            var values = JsonSerializer.Deserialize<int[]>(json);
            return values is [var c, var h, var w] && c > 0 && h > 0 && w > 0 ? new ImageShape(c, h, w) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The problem with this shape for training, or null when it is usable (1 or 3 channels, sides 8–128).</summary>
    public string? Problem()
    {
        if (Channels is not (1 or 3)) return $"images have {Channels} channels; 1 (grayscale) or 3 (RGB) are supported";
        if (Height < MinSide || Width < MinSide || Height > MaxSide || Width > MaxSide)
            return $"images are {Height}×{Width} pixels; each side must be {MinSide} to {MaxSide}";
        return null;
    }

    /// <summary><c>1×28×28</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Channels}×{Height}×{Width}");
}
