namespace MlNetMnist.Pipelines.Images;

/// <summary>
/// Turns a user's PNG or JPEG image of one handwritten digit into a model input: decodes it with
/// ML.NET's image support, converts it to grayscale, inverts dark-on-light images, crops to the
/// ink, fits it into 20×20 keeping the aspect ratio and centers it by center of mass in 28×28, as
/// the MNIST images were made. The digit should be the only thing in the picture.
/// </summary>
public static class DigitImageLoader
{
    /// <summary>The largest file accepted, in bytes (20 MiB).</summary>
    public const long MaxFileBytes = 20L * 1024 * 1024;

    /// <summary>The most pixels an image may have (4096 × 4096); checked on the header, before decoding.</summary>
    public const long MaxPixels = 4096L * 4096;

    private const string StreamName = "<stream>";

    /// <summary>Loads and preprocesses the PNG or JPEG image at <paramref name="path"/>.</summary>
    /// <exception cref="DigitImageException">The file is missing, unreadable, empty, too large, not a PNG or JPEG image, corrupt, or blank.</exception>
    public static DigitInput Load(string path) => Preprocess(path).ToInput();

    /// <summary>Loads and preprocesses a PNG or JPEG image read from <paramref name="stream"/> (to its end).</summary>
    /// <param name="stream">The encoded image.</param>
    /// <param name="name">What to call the image in error messages.</param>
    /// <exception cref="DigitImageException">The stream is empty, too large, not a PNG or JPEG image, corrupt, or blank.</exception>
    public static DigitInput Load(Stream stream, string? name = null) => Preprocess(stream, name).ToInput();

    /// <summary>Like <see cref="Load(string)"/>, but returns the preprocessed 28×28 pixels too, to show the user.</summary>
    /// <exception cref="DigitImageException">As for <see cref="Load(string)"/>.</exception>
    public static PreprocessedDigit Preprocess(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new DigitImageException(DigitImageError.FileMissing, path, "is a directory, not an image file.");
        if (!File.Exists(path)) throw new DigitImageException(DigitImageError.FileMissing, path, "image file not found.");
        byte[] bytes;
        try
        {
            long length = new FileInfo(path).Length;
            if (length > MaxFileBytes) throw TooLargeFile(path, length);
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DigitImageException(DigitImageError.Unreadable, path, $"could not be read ({e.Message}).", e);
        }
        return PreprocessBytes(bytes, path, Transparency.OverBlack);
    }

    /// <summary>Like <see cref="Load(Stream, string?)"/>, but returns the preprocessed 28×28 pixels too, to show the user.</summary>
    /// <exception cref="DigitImageException">As for <see cref="Load(Stream, string?)"/>.</exception>
    public static PreprocessedDigit Preprocess(Stream stream, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        name = string.IsNullOrEmpty(name) ? StreamName : name;
        if (stream.CanSeek && stream.Length - stream.Position > MaxFileBytes) throw TooLargeFile(name, stream.Length - stream.Position);
        using var copy = new MemoryStream();
        var buffer = new byte[1 << 16];
        for (int n; (n = stream.Read(buffer)) > 0;)
        {
            if (copy.Length + n > MaxFileBytes) throw TooLargeFile(name, copy.Length + n);
            copy.Write(buffer, 0, n);
        }
        return PreprocessBytes(copy.ToArray(), name, Transparency.OverBlack);
    }

    /// <summary>
    /// Preprocesses a PNG or JPEG image held in memory (an upload, a request body), as
    /// <see cref="Preprocess(string)"/> does a file.
    /// </summary>
    /// <param name="encoded">The encoded image.</param>
    /// <param name="name">What to call the image in error messages.</param>
    /// <param name="transparency">How transparent pixels are seen: over black, as ML.NET decodes them (the default, what <c>mnist predict</c> does), or composited onto white, as on paper.</param>
    /// <exception cref="DigitImageException">The bytes are empty, too many, not a PNG or JPEG image, corrupt, or blank.</exception>
    public static PreprocessedDigit Preprocess(byte[] encoded, string? name = null, Transparency transparency = Transparency.OverBlack)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        name = string.IsNullOrEmpty(name) ? StreamName : name;
        if (encoded.Length > MaxFileBytes) throw TooLargeFile(name, encoded.Length);
        return PreprocessBytes(encoded, name, transparency);
    }

    private static PreprocessedDigit PreprocessBytes(byte[] bytes, string name, Transparency transparency)
    {
        var header = ReadHeader(bytes, name);
        GrayscaleImage gray;
        try
        {
            gray = GrayscaleImage.Decode(bytes, transparency == Transparency.OntoWhite);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new DigitImageException(DigitImageError.Corrupt, name, $"is a {header.Format} file whose pixels could not be decoded ({e.Message}).", e);
        }
        var ink = InkImage.FromGrayscale(gray);
        var pixels = MnistStylePreprocessor.Preprocess(ink)
            ?? throw new DigitImageException(DigitImageError.Blank, name, BlankProblem(ink, header, transparency));
        return new PreprocessedDigit(pixels, gray.Width, gray.Height, ink.WasInverted);
    }

    private static ImageHeader ReadHeader(byte[] bytes, string name)
    {
        if (bytes.Length == 0) throw new DigitImageException(DigitImageError.EmptyFile, name, "is empty (0 bytes); expected a PNG or JPEG image.");
        if (!ImageHeader.HasKnownSignature(bytes))
            throw new DigitImageException(DigitImageError.NotAnImage, name, "is not a PNG or JPEG image (its first bytes are neither format's signature).");
        var header = ImageHeader.TryRead(bytes)
            ?? throw new DigitImageException(DigitImageError.Corrupt, name, $"starts like a {ImageHeader.FormatName(bytes)} image but its header is damaged or missing the image size.");
        if ((long)header.Width * header.Height > MaxPixels)
            throw new DigitImageException(DigitImageError.TooLarge, name,
                $"is {header.Width}×{header.Height} pixels; images may have at most {MaxPixels:N0} pixels (4096×4096). Scale it down first.");
        return header;
    }

    private static DigitImageException TooLargeFile(string name, long length)
        => new(DigitImageError.TooLarge, name, $"is {length:N0} bytes; image files may be at most {MaxFileBytes:N0} bytes (20 MiB).");

    private static string BlankProblem(InkImage ink, ImageHeader header, Transparency transparency)
    {
        var problem = $"has no ink: nothing differs from the background by more than {ink.Contrast} gray levels (a digit needs at least {InkImage.MinContrast}).";
        return header.HasAlpha && transparency == Transparency.OverBlack
            ? problem + " Transparent pixels read as black, so black strokes on a transparent background vanish: save the image on an opaque white background."
            : problem;
    }
}
