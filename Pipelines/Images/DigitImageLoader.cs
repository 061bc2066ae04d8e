using MlNetMnist.Data;

namespace MlNetMnist.Pipelines.Images;

/// <summary>
/// Turns a user's image of one handwritten digit (PNG, JPEG, BMP, GIF or WebP) into a model input:
/// decodes it with ML.NET's image support (transparent pixels composited onto white and the EXIF
/// orientation applied, by <see cref="ImageFilePreparation"/>, as for image folders), converts it to
/// grayscale, inverts dark-on-light images, crops to the
/// ink, fits it into 20×20 keeping the aspect ratio and centers it by center of mass in 28×28, as
/// the MNIST images were made. The digit should be the only thing in the picture.
/// </summary>
public static class DigitImageLoader
{
    /// <summary>The largest file accepted, in bytes (20 MiB).</summary>
    public const long MaxFileBytes = ImageFileHeader.MaxFileBytes;

    /// <summary>The longest side an image may have, in pixels (4096); checked on the header, before decoding.</summary>
    public const int MaxSide = ImageFileHeader.MaxSide;

    private const string StreamName = "<stream>";

    /// <summary>Loads and preprocesses the PNG or JPEG image at <paramref name="path"/>.</summary>
    /// <exception cref="DigitImageException">The file is missing, unreadable, empty, too large, not an image (PNG, JPEG, BMP, GIF or WebP), corrupt, or blank.</exception>
    public static DigitInput Load(string path) => Preprocess(path).ToInput();

    /// <summary>Loads and preprocesses a PNG or JPEG image read from <paramref name="stream"/> (to its end).</summary>
    /// <param name="stream">The encoded image.</param>
    /// <param name="name">What to call the image in error messages.</param>
    /// <exception cref="DigitImageException">The stream is empty, too large, not an image (PNG, JPEG, BMP, GIF or WebP), corrupt, or blank.</exception>
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
        return Preprocess(bytes, path);
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
        return Preprocess(copy.ToArray(), name);
    }

    private static PreprocessedDigit Preprocess(byte[] bytes, string name)
    {
        var header = ReadHeader(bytes, name);
        GrayscaleImage gray;
        try
        {
            gray = GrayscaleImage.Decode(ImageFilePreparation.PreparedPng(bytes, header, out _) ?? bytes);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new DigitImageException(DigitImageError.Corrupt, name, $"is a {ImageFileHeader.Name(header.Format)} file whose pixels could not be decoded ({e.Message}).", e);
        }
        var ink = InkImage.FromGrayscale(gray);
        var pixels = MnistStylePreprocessor.Preprocess(ink)
            ?? throw new DigitImageException(DigitImageError.Blank, name,
                $"has no ink: nothing differs from the background by more than {ink.Contrast} gray levels (a digit needs at least {InkImage.MinContrast}).");
        return new PreprocessedDigit(pixels, gray.Width, gray.Height, ink.WasInverted);
    }

    /// <summary>The header, read and checked by the one reader image folders use too (<see cref="ImageFileHeader"/>).</summary>
    private static ImageFileHeader ReadHeader(byte[] bytes, string name)
    {
        if (bytes.Length == 0) throw new DigitImageException(DigitImageError.EmptyFile, name, "is empty (0 bytes); expected an image file (PNG, JPEG, BMP, GIF or WebP).");
        var header = ImageFileHeader.Read(bytes, out var problem, out var kind);
        return kind switch
        {
            ImageFileProblem.None => header,
            ImageFileProblem.NotAnImage => throw new DigitImageException(DigitImageError.NotAnImage, name, problem + "."),
            ImageFileProblem.TooLarge => throw new DigitImageException(DigitImageError.TooLarge, name, problem + "."),
            _ => throw new DigitImageException(DigitImageError.Corrupt, name, problem + "."),
        };
    }

    private static DigitImageException TooLargeFile(string name, long length)
        => new(DigitImageError.TooLarge, name, $"is {length:N0} bytes; image files may be at most {MaxFileBytes:N0} bytes (20 MiB).");
}
