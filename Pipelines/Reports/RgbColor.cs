using System.Globalization;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>An opaque color, shared by the PNG plots and the HTML report so that both use one scale.</summary>
internal readonly record struct RgbColor(byte R, byte G, byte B)
{
    /// <summary>CSS form, for example "#08306b".</summary>
    public string Hex => string.Create(CultureInfo.InvariantCulture, $"#{R:x2}{G:x2}{B:x2}");

    /// <summary>True when white text reads better on this color than black text.</summary>
    public bool IsDark => 0.299 * R + 0.587 * G + 0.114 * B < 140;

    /// <summary>The color <paramref name="t"/> of the way (0–1) from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static RgbColor Blend(RgbColor from, RgbColor to, double t)
    {
        t = Math.Clamp(t, 0, 1);
        return new((byte)Math.Round(from.R + (to.R - from.R) * t), (byte)Math.Round(from.G + (to.G - from.G) * t), (byte)Math.Round(from.B + (to.B - from.B) * t));
    }
}
