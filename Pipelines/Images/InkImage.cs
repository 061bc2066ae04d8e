namespace MlNetMnist.Pipelines.Images;

/// <summary>
/// A grayscale image turned into MNIST's convention: ink is light (up to 255) on a black (0)
/// background. Dark-on-light images are inverted, the background level is subtracted, the
/// contrast is stretched so the darkest stroke becomes 255, and faint noise becomes 0.
/// </summary>
internal sealed class InkImage
{
    /// <summary>The least difference, in gray levels, between the strongest ink and the background.</summary>
    public const int MinContrast = 40;

    /// <summary>Ink weaker than this (after stretching to 0–255) is treated as background noise.</summary>
    public const float NoiseThreshold = 24;

    private InkImage(int width, int height, float[] ink, bool inverted, int contrast)
    {
        Width = width;
        Height = height;
        Ink = ink;
        WasInverted = inverted;
        Contrast = contrast;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Ink per pixel, row by row, 0 (background) to 255.</summary>
    public float[] Ink { get; }

    /// <summary>True when the source was dark ink on a light background.</summary>
    public bool WasInverted { get; }

    /// <summary>Strongest ink minus the background level, in source gray levels.</summary>
    public int Contrast { get; }

    /// <summary>True when something stands out from the background by at least <see cref="MinContrast"/>.</summary>
    public bool HasInk => Contrast >= MinContrast;

    /// <summary>
    /// Decides the polarity from the median of the outermost pixels (the border is background
    /// unless the digit fills the whole picture): a light border means dark ink, which is inverted.
    /// </summary>
    public static InkImage FromGrayscale(GrayscaleImage image)
    {
        int background = BorderMedian(image);
        bool inverted = background > 127;
        if (inverted) background = 255 - background;
        var gray = image.Pixels;
        int peak = 0;
        foreach (byte g in gray) peak = Math.Max(peak, inverted ? 255 - g : g);
        int contrast = peak - background;
        var ink = new float[gray.Length];
        if (contrast >= MinContrast)
        {
            float scale = 255f / contrast;
            for (int i = 0; i < ink.Length; i++)
            {
                float v = ((inverted ? 255 - gray[i] : gray[i]) - background) * scale;
                ink[i] = v < NoiseThreshold ? 0 : v;
            }
        }
        return new InkImage(image.Width, image.Height, ink, inverted, Math.Max(contrast, 0));
    }

    private static int BorderMedian(GrayscaleImage image)
    {
        int w = image.Width, h = image.Height;
        var histogram = new int[256];
        int count = 0;
        for (int y = 0; y < h; y++)
        {
            bool edgeRow = y == 0 || y == h - 1;
            for (int x = 0; x < w; x += edgeRow || w == 1 ? 1 : w - 1)
            {
                histogram[image.Pixels[y * w + x]]++;
                count++;
            }
        }
        for (int level = 0, seen = 0; level < 256; level++)
        {
            seen += histogram[level];
            if (2 * seen >= count) return level;
        }
        return 255;
    }
}
