using System.Buffers.Binary;

namespace MlNetMnist.Pipelines.Images;

/// <summary>
/// The format and size of a PNG or JPEG image, read from its first bytes without decoding any
/// pixels, so that oversized images are refused before they cost memory.
/// </summary>
/// <param name="Format">"PNG" or "JPEG".</param>
/// <param name="Width">Width in pixels, as the header declares it.</param>
/// <param name="Height">Height in pixels, as the header declares it.</param>
/// <param name="HasAlpha">True for a PNG with an alpha channel (colour types 4 and 6).</param>
internal sealed record ImageHeader(string Format, int Width, int Height, bool HasAlpha)
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>True when <paramref name="bytes"/> start with the PNG or JPEG signature.</summary>
    public static bool HasKnownSignature(ReadOnlySpan<byte> bytes) => IsPng(bytes) || IsJpeg(bytes);

    /// <summary>The header of a PNG or JPEG image; null when it is missing or damaged.</summary>
    public static ImageHeader? TryRead(ReadOnlySpan<byte> bytes)
        => IsPng(bytes) ? TryReadPng(bytes) : IsJpeg(bytes) ? TryReadJpeg(bytes) : null;

    /// <summary>The name of the format whose signature <paramref name="bytes"/> start with.</summary>
    public static string FormatName(ReadOnlySpan<byte> bytes) => IsPng(bytes) ? "PNG" : "JPEG";

    private static bool IsPng(ReadOnlySpan<byte> bytes) => bytes.StartsWith(PngSignature);

    private static bool IsJpeg(ReadOnlySpan<byte> bytes) => bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;

    /// <summary>PNG: the signature, then the IHDR chunk (length, "IHDR", width, height, bit depth, colour type).</summary>
    private static ImageHeader? TryReadPng(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 26 || !bytes.Slice(12, 4).SequenceEqual("IHDR"u8)) return null;
        uint width = BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(bytes[20..]);
        if (width is 0 or > int.MaxValue || height is 0 or > int.MaxValue) return null;
        byte colourType = bytes[25];
        return new ImageHeader("PNG", (int)width, (int)height, HasAlpha: colourType is 4 or 6);
    }

    /// <summary>JPEG: walks the marker segments up to the first start-of-frame (SOF0–SOF15 but DHT, JPG and DAC).</summary>
    private static ImageHeader? TryReadJpeg(ReadOnlySpan<byte> bytes)
    {
        int pos = 2;
        while (pos + 4 <= bytes.Length)
        {
            if (bytes[pos] != 0xFF) return null;
            byte marker = bytes[pos + 1];
            if (marker == 0xFF) { pos++; continue; }
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) { pos += 2; continue; }
            if (marker is 0xD9 or 0xDA) return null;
            int length = BinaryPrimitives.ReadUInt16BigEndian(bytes[(pos + 2)..]);
            if (length < 2) return null;
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
            {
                if (pos + 9 > bytes.Length) return null;
                int height = BinaryPrimitives.ReadUInt16BigEndian(bytes[(pos + 5)..]);
                int width = BinaryPrimitives.ReadUInt16BigEndian(bytes[(pos + 7)..]);
                return width == 0 || height == 0 ? null : new ImageHeader("JPEG", width, height, HasAlpha: false);
            }
            pos += 2 + length;
        }
        return null;
    }
}
