using System.Buffers.Binary;

namespace MlNetMnist.Data;

/// <summary>The container formats of image files that image folders may hold.</summary>
public enum ImageFileFormat
{
    /// <summary>Portable Network Graphics.</summary>
    Png,
    /// <summary>JPEG (JFIF or Exif).</summary>
    Jpeg,
    /// <summary>Windows bitmap.</summary>
    Bmp,
    /// <summary>Graphics Interchange Format (the first frame is used).</summary>
    Gif,
    /// <summary>WebP, lossy or lossless (the first frame is used).</summary>
    WebP,
}

/// <summary>
/// What an image file's bytes say about it without decoding a pixel: its format (from the signature,
/// whatever the extension), its size, whether it may have transparent pixels, its EXIF orientation,
/// and whether the container is complete (a truncated file is told apart from a merely short one).
/// </summary>
/// <param name="Format">The format the signature names.</param>
/// <param name="Width">Width in pixels, as stored (before any EXIF rotation).</param>
/// <param name="Height">Height in pixels, as stored.</param>
/// <param name="MayHaveAlpha">True when the format and header allow transparent pixels (an alpha channel, a transparent palette entry or color key).</param>
/// <param name="Orientation">The EXIF orientation, 1 (upright) to 8; 1 when there is none.</param>
public sealed record ImageFileHeader(ImageFileFormat Format, int Width, int Height, bool MayHaveAlpha, int Orientation)
{
    /// <summary>The largest image file accepted, in bytes (20 MiB).</summary>
    public const long MaxFileBytes = 20L * 1024 * 1024;

    /// <summary>The largest side accepted, in pixels; checked on the header, before decoding.</summary>
    public const int MaxSide = 4096;

    /// <summary>The extensions of the formats read, lower case with the dot.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg", ".jpe", ".jfif", ".bmp", ".dib", ".gif", ".webp"];

    /// <summary>True when <paramref name="path"/> has one of the <see cref="Extensions"/>, in any case.</summary>
    public static bool HasImageExtension(string path)
    {
        var extension = Path.GetExtension(path);
        foreach (var e in Extensions)
            if (extension.Equals(e, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>True when the EXIF orientation asks for the pixels to be turned or mirrored.</summary>
    public bool NeedsRotation => Orientation is > 1 and <= 8;

    /// <summary>
    /// Reads the header of the image in <paramref name="bytes"/> (the whole file) and checks that the
    /// container is complete; the problem, as a sentence fragment, when it is not an image of a known
    /// format, is damaged or truncated, or is larger than <see cref="MaxSide"/>.
    /// </summary>
    public static ImageFileHeader Read(ReadOnlySpan<byte> bytes, out string? problem, out ImageFileProblem kind)
    {
        problem = null;
        kind = ImageFileProblem.None;
        if (bytes.Length == 0)
        {
            (problem, kind) = ("is empty (0 bytes): it holds no image", ImageFileProblem.NotAnImage);
            return Unknown;
        }
        ImageFileFormat? format = Signature(bytes);
        if (format is null)
        {
            (problem, kind) = ($"is not an image: its first bytes ({Hex(bytes)}) are no PNG, JPEG, BMP, GIF or WebP signature, whatever its extension says", ImageFileProblem.NotAnImage);
            return Unknown;
        }
        ImageFileHeader? header;
        try
        {
            header = format switch
            {
                ImageFileFormat.Png => ReadPng(bytes, out problem),
                ImageFileFormat.Jpeg => ReadJpeg(bytes, out problem),
                ImageFileFormat.Bmp => ReadBmp(bytes, out problem),
                ImageFileFormat.Gif => ReadGif(bytes, out problem),
                _ => ReadWebP(bytes, out problem),
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            (header, problem) = (null, "is truncated: it ends inside its header");
        }
        if (header is null)
        {
            kind = ImageFileProblem.Damaged;
            problem = $"is a damaged {Name(format.Value)} file: it {problem ?? "has no valid header"}";
            return Unknown with { Format = format.Value };
        }
        if (problem is not null)
        {
            kind = ImageFileProblem.Damaged;
            problem = $"is a damaged {Name(format.Value)} file: it {problem}";
        }
        else if (header.Width > MaxSide || header.Height > MaxSide)
        {
            kind = ImageFileProblem.TooLarge;
            problem = $"is {header.Width:N0}×{header.Height:N0} pixels; images may be at most {MaxSide}×{MaxSide}. Scale it down first (the model sees it at its input size anyway)";
        }
        return header;
    }

    /// <summary>"PNG", "JPEG", "BMP", "GIF", "WebP".</summary>
    public static string Name(ImageFileFormat format) => format switch
    {
        ImageFileFormat.Png => "PNG",
        ImageFileFormat.Jpeg => "JPEG",
        ImageFileFormat.Bmp => "BMP",
        ImageFileFormat.Gif => "GIF",
        _ => "WebP",
    };

    private static readonly ImageFileHeader Unknown = new(ImageFileFormat.Png, 0, 0, false, 1);

    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static ImageFileFormat? Signature(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith(PngSignature)) return ImageFileFormat.Png;
        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return ImageFileFormat.Jpeg;
        if (b.Length >= 2 && b[0] == 'B' && b[1] == 'M') return ImageFileFormat.Bmp;
        if (b.StartsWith("GIF87a"u8) || b.StartsWith("GIF89a"u8)) return ImageFileFormat.Gif;
        if (b.Length >= 12 && b.StartsWith("RIFF"u8) && b.Slice(8, 4).SequenceEqual("WEBP"u8)) return ImageFileFormat.WebP;
        return null;
    }

    private static string Hex(ReadOnlySpan<byte> b) => Convert.ToHexString(b[..Math.Min(8, b.Length)]);

    /// <summary>PNG: walks every chunk (length, type, data, CRC) up to IEND, checking the CRCs.</summary>
    private static ImageFileHeader? ReadPng(ReadOnlySpan<byte> b, out string? problem)
    {
        problem = null;
        if (b.Length < 33 || !b.Slice(12, 4).SequenceEqual("IHDR"u8)) { problem = "lacks the IHDR chunk that must follow the signature"; return null; }
        uint width = BinaryPrimitives.ReadUInt32BigEndian(b[16..]), height = BinaryPrimitives.ReadUInt32BigEndian(b[20..]);
        if (width is 0 or > int.MaxValue || height is 0 or > int.MaxValue) { problem = $"declares a size of {width}×{height} pixels"; return null; }
        byte colorType = b[25];
        bool alpha = colorType is 4 or 6;
        int orientation = 1;
        bool sawData = false, sawEnd = false;
        int pos = 8;
        while (pos < b.Length)
        {
            if (pos + 12 > b.Length) { problem = "is truncated: it ends inside a chunk"; break; }
            uint length = BinaryPrimitives.ReadUInt32BigEndian(b[pos..]);
            var type = b.Slice(pos + 4, 4);
            if (length > int.MaxValue || pos + 12L + length > b.Length) { problem = $"is truncated: its {Ascii(type)} chunk needs {length:N0} bytes, but the file ends before them"; break; }
            var data = b.Slice(pos + 8, (int)length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(b[(pos + 8 + (int)length)..]);
            if (Crc32.Compute(b.Slice(pos + 4, 4 + (int)length)) != crc) { problem = $"has a corrupt {Ascii(type)} chunk (its checksum does not match its bytes)"; break; }
            if (type.SequenceEqual("tRNS"u8)) alpha = true;
            else if (type.SequenceEqual("IDAT"u8)) sawData = true;
            else if (type.SequenceEqual("eXIf"u8)) orientation = Exif.Orientation(data);
            else if (type.SequenceEqual("IEND"u8)) { sawEnd = true; break; }
            pos += 12 + (int)length;
        }
        if (problem is null && !sawData) problem = "holds no image data (IDAT chunk)";
        else if (problem is null && !sawEnd) problem = "is truncated: it has no IEND chunk";
        return new ImageFileHeader(ImageFileFormat.Png, (int)width, (int)height, alpha, orientation);
    }

    private static string Ascii(ReadOnlySpan<byte> type) => System.Text.Encoding.ASCII.GetString(type);

    /// <summary>JPEG: walks the marker segments up to the start of scan, then looks for the end-of-image marker.</summary>
    private static ImageFileHeader? ReadJpeg(ReadOnlySpan<byte> b, out string? problem)
    {
        problem = null;
        int pos = 2, width = 0, height = 0, orientation = 1;
        while (true)
        {
            if (pos + 4 > b.Length) { problem = "is truncated: it ends before its image data"; return width > 0 ? new(ImageFileFormat.Jpeg, width, height, false, orientation) : null; }
            if (b[pos] != 0xFF) { problem = $"has a broken marker at byte {pos:N0}"; return null; }
            byte marker = b[pos + 1];
            if (marker == 0xFF) { pos++; continue; }
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) { pos += 2; continue; }
            if (marker == 0xD9) { problem = "ends before its image data"; return null; }
            int length = BinaryPrimitives.ReadUInt16BigEndian(b[(pos + 2)..]);
            if (length < 2) { problem = $"has a broken marker segment at byte {pos:N0}"; return null; }
            if (pos + 2 + length > b.Length) { problem = "is truncated: it ends inside a marker segment"; return width > 0 ? new(ImageFileFormat.Jpeg, width, height, false, orientation) : null; }
            var segment = b.Slice(pos + 4, length - 2);
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
            {
                if (segment.Length < 6) { problem = "has a short frame header"; return null; }
                height = BinaryPrimitives.ReadUInt16BigEndian(segment[1..]);
                width = BinaryPrimitives.ReadUInt16BigEndian(segment[3..]);
                if (width == 0 || height == 0) { problem = $"declares a size of {width}×{height} pixels"; return null; }
            }
            else if (marker == 0xE1 && segment.StartsWith("Exif\0\0"u8) && orientation == 1)
            {
                orientation = Exif.Orientation(segment[6..]);
            }
            else if (marker == 0xDA)
            {
                if (width == 0) { problem = "has no frame header before its image data"; return null; }
                // Entropy-coded data runs to the next marker (0xFF not followed by 0x00 or a restart
                // marker); a progressive file has several scans. Data after the end-of-image marker
                // (phones append some) does not matter.
                int next = NextMarker(b, pos + 2 + length);
                if (next < 0) { problem = "is truncated: its image data has no end (the end-of-image marker is missing)"; return new(ImageFileFormat.Jpeg, width, height, false, orientation); }
                if (b[next + 1] == 0xD9) return new ImageFileHeader(ImageFileFormat.Jpeg, width, height, false, orientation);
                pos = next;
                continue;
            }
            pos += 2 + length;
        }
    }

    /// <summary>The position of the next marker at or after <paramref name="start"/> in entropy-coded data; −1 when the data ends first.</summary>
    private static int NextMarker(ReadOnlySpan<byte> b, int start)
    {
        int pos = start;
        while (pos < b.Length - 1)
        {
            int ff = b[pos..^1].IndexOf((byte)0xFF);
            if (ff < 0) return -1;
            pos += ff;
            byte after = b[pos + 1];
            if (after != 0x00 && after != 0xFF && after is not (>= 0xD0 and <= 0xD7)) return pos;
            pos += after == 0xFF ? 1 : 2; // fill bytes, stuffed zeros and restart markers belong to the data
        }
        return -1;
    }

    /// <summary>BMP: the file header and the size of the pixel array the info header declares.</summary>
    private static ImageFileHeader? ReadBmp(ReadOnlySpan<byte> b, out string? problem)
    {
        problem = null;
        if (b.Length < 26) { problem = "is truncated: it ends inside its header"; return null; }
        uint offset = BinaryPrimitives.ReadUInt32LittleEndian(b[10..]);
        uint infoSize = BinaryPrimitives.ReadUInt32LittleEndian(b[14..]);
        int width, height, bits, compression = 0;
        if (infoSize == 12)
        {
            width = BinaryPrimitives.ReadUInt16LittleEndian(b[18..]);
            height = BinaryPrimitives.ReadUInt16LittleEndian(b[20..]);
            bits = BinaryPrimitives.ReadUInt16LittleEndian(b[24..]);
        }
        else if (infoSize >= 40 && b.Length >= 54)
        {
            width = BinaryPrimitives.ReadInt32LittleEndian(b[18..]);
            height = BinaryPrimitives.ReadInt32LittleEndian(b[22..]);
            bits = BinaryPrimitives.ReadUInt16LittleEndian(b[28..]);
            compression = BinaryPrimitives.ReadInt32LittleEndian(b[30..]);
        }
        else { problem = $"has an info header of {infoSize} bytes, which no BMP version has"; return null; }
        if (height == int.MinValue || width <= 0 || height == 0) { problem = $"declares a size of {width}×{height} pixels"; return null; }
        height = Math.Abs(height);
        if (bits is not (1 or 2 or 4 or 8 or 16 or 24 or 32)) { problem = $"declares {bits} bits per pixel"; return null; }
        if (offset > b.Length) { problem = "is truncated: it ends before its pixels"; return null; }
        if (compression is 0 or 3 or 6)
        {
            long rowBytes = ((long)width * bits + 31) / 32 * 4;
            if (offset + rowBytes * height > b.Length)
                problem = $"is truncated: its {width}×{height} pixels need {rowBytes * height:N0} bytes after byte {offset:N0}, but the file has {b.Length:N0} bytes";
        }
        return new ImageFileHeader(ImageFileFormat.Bmp, width, height, bits == 32, 1);
    }

    /// <summary>GIF: the logical screen, then every block up to the trailer; transparency from the graphic control extensions.</summary>
    private static ImageFileHeader? ReadGif(ReadOnlySpan<byte> b, out string? problem)
    {
        problem = null;
        if (b.Length < 13) { problem = "is truncated: it ends inside its header"; return null; }
        int width = BinaryPrimitives.ReadUInt16LittleEndian(b[6..]), height = BinaryPrimitives.ReadUInt16LittleEndian(b[8..]);
        byte flags = b[10];
        int pos = 13 + ((flags & 0x80) != 0 ? 3 << ((flags & 7) + 1) : 0);
        bool transparent = false, sawImage = false;
        while (true)
        {
            if (pos >= b.Length) { problem = sawImage ? "is truncated: it has no trailer" : "is truncated: it ends before its first image"; break; }
            byte block = b[pos++];
            if (block == 0x3B) break;
            if (block == 0x21)
            {
                if (pos >= b.Length) { problem = "is truncated: it ends inside an extension"; break; }
                byte label = b[pos++];
                if (label == 0xF9 && pos + 2 < b.Length && !sawImage && (b[pos + 1] & 1) != 0) transparent = true;
                if (!SkipSubBlocks(b, ref pos)) { problem = "is truncated: it ends inside an extension"; break; }
            }
            else if (block == 0x2C)
            {
                if (pos + 9 > b.Length) { problem = "is truncated: it ends inside an image descriptor"; break; }
                if (width == 0 || height == 0)
                {
                    width = BinaryPrimitives.ReadUInt16LittleEndian(b[(pos + 4)..]);
                    height = BinaryPrimitives.ReadUInt16LittleEndian(b[(pos + 6)..]);
                }
                byte local = b[pos + 8];
                pos += 9 + ((local & 0x80) != 0 ? 3 << ((local & 7) + 1) : 0) + 1; // descriptor, local color table, LZW code size
                if (pos > b.Length || !SkipSubBlocks(b, ref pos)) { problem = "is truncated: it ends inside its image data"; break; }
                sawImage = true;
            }
            else { problem = $"has an unknown block (0x{block:X2}) at byte {pos - 1:N0}"; break; }
        }
        if (problem is null && !sawImage) problem = "holds no image";
        if (width == 0 || height == 0) { problem ??= $"declares a size of {width}×{height} pixels"; return null; }
        return new ImageFileHeader(ImageFileFormat.Gif, width, height, transparent, 1);
    }

    private static bool SkipSubBlocks(ReadOnlySpan<byte> b, ref int pos)
    {
        while (pos < b.Length)
        {
            int size = b[pos++];
            if (size == 0) return true;
            pos += size;
        }
        return false;
    }

    /// <summary>WebP: the RIFF size, then the VP8, VP8L or VP8X chunk (and EXIF, when VP8X says so).</summary>
    private static ImageFileHeader? ReadWebP(ReadOnlySpan<byte> b, out string? problem)
    {
        problem = null;
        long riffEnd = 8L + BinaryPrimitives.ReadUInt32LittleEndian(b[4..]);
        if (riffEnd > b.Length) problem = $"is truncated: its RIFF header promises {riffEnd:N0} bytes, but the file has {b.Length:N0}";
        if (b.Length < 30) { problem = "is truncated: it ends inside its header"; return null; }
        var chunk = b.Slice(12, 4);
        var data = b[20..];
        int width, height, orientation = 1;
        bool alpha = false;
        if (chunk.SequenceEqual("VP8 "u8))
        {
            if (data[3] != 0x9D || data[4] != 0x01 || data[5] != 0x2A) { problem = "has a lossy frame without its start code"; return null; }
            width = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) & 0x3FFF;
            height = BinaryPrimitives.ReadUInt16LittleEndian(data[8..]) & 0x3FFF;
        }
        else if (chunk.SequenceEqual("VP8L"u8))
        {
            if (data[0] != 0x2F) { problem = "has a lossless frame without its signature"; return null; }
            uint bits = BinaryPrimitives.ReadUInt32LittleEndian(data[1..]);
            width = (int)(bits & 0x3FFF) + 1;
            height = (int)((bits >> 14) & 0x3FFF) + 1;
            alpha = ((bits >> 28) & 1) != 0;
        }
        else if (chunk.SequenceEqual("VP8X"u8))
        {
            byte flags = data[0];
            alpha = (flags & 0x10) != 0;
            width = (data[4] | data[5] << 8 | data[6] << 16) + 1;
            height = (data[7] | data[8] << 8 | data[9] << 16) + 1;
            if ((flags & 0x08) != 0) orientation = WebPExifOrientation(b, (int)Math.Min(riffEnd, b.Length));
        }
        else { problem = $"has an unknown first chunk '{Ascii(chunk)}'"; return null; }
        if (width == 0 || height == 0) { problem = $"declares a size of {width}×{height} pixels"; return null; }
        return new ImageFileHeader(ImageFileFormat.WebP, width, height, alpha, orientation);
    }

    private static int WebPExifOrientation(ReadOnlySpan<byte> b, int end)
    {
        int pos = 12;
        while (pos + 8 <= end)
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(b[(pos + 4)..]);
            if (pos + 8L + size > end) break;
            if (b.Slice(pos, 4).SequenceEqual("EXIF"u8))
            {
                var exif = b.Slice(pos + 8, (int)size);
                return Exif.Orientation(exif.StartsWith("Exif\0\0"u8) ? exif[6..] : exif);
            }
            pos += 8 + (int)((size + 1) & ~1u);
        }
        return 1;
    }

    /// <summary>The orientation tag (0x0112) of IFD0 of a TIFF-structured EXIF block.</summary>
    private static class Exif
    {
        public static int Orientation(ReadOnlySpan<byte> tiff)
        {
            if (tiff.Length < 8) return 1;
            bool little = tiff[0] == 'I' && tiff[1] == 'I';
            if (!little && !(tiff[0] == 'M' && tiff[1] == 'M')) return 1;
            uint ifd = Read32(tiff[4..], little);
            if (ifd > tiff.Length - 2) return 1;
            int count = Read16(tiff[(int)ifd..], little);
            for (int i = 0; i < count; i++)
            {
                int entry = (int)ifd + 2 + i * 12;
                if (entry + 12 > tiff.Length) return 1;
                if (Read16(tiff[entry..], little) != 0x0112) continue;
                int value = Read16(tiff[(entry + 8)..], little);
                return value is >= 1 and <= 8 ? value : 1;
            }
            return 1;
        }

        private static int Read16(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);
        private static uint Read32(ReadOnlySpan<byte> b, bool little) => little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);
    }
}

/// <summary>What <see cref="ImageFileHeader.Read"/> found wrong with a file.</summary>
public enum ImageFileProblem
{
    /// <summary>Nothing: a complete image of a known format within the limits.</summary>
    None,
    /// <summary>The bytes are no image of a known format (whatever the extension says).</summary>
    NotAnImage,
    /// <summary>The file starts as an image but is truncated or corrupt.</summary>
    Damaged,
    /// <summary>The image is larger than the limits.</summary>
    TooLarge,
}

/// <summary>The CRC-32 of PNG chunks (ISO 3309, polynomial 0xEDB88320).</summary>
internal static class Crc32
{
    private static readonly uint[] Table = MakeTable();

    public static uint Compute(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in bytes) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFF;
    }

    private static uint[] MakeTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
