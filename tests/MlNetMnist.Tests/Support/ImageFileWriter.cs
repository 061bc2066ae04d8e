using System.Buffers.Binary;
using System.IO.Compression;
using SkiaSharp;

namespace MlNetMnist.Tests.Support;

/// <summary>
/// Writes real image files of every kind an image folder may hold, byte by byte where SkiaSharp has
/// no encoder (PNG of any color type and bit depth, BMP, GIF) and with SkiaSharp 2.88 (what
/// ImageAnalytics brings) for JPEG and WebP. Pixels are given as RGBA, row by row.
/// </summary>
public static class ImageFileWriter
{
    /// <summary>PNG color types.</summary>
    public enum PngColor : byte
    {
        Gray = 0,
        Rgb = 2,
        Palette = 3,
        GrayAlpha = 4,
        Rgba = 6,
    }

    /// <summary>An RGBA image of <paramref name="width"/> × <paramref name="height"/>, every pixel <paramref name="fill"/>(x, y).</summary>
    public static byte[] Rgba(int width, int height, Func<int, int, (byte R, byte G, byte B, byte A)> fill)
    {
        var rgba = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var (r, g, b, a) = fill(x, y);
                int i = (y * width + x) * 4;
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = (r, g, b, a);
            }
        return rgba;
    }

    /// <summary>A gray image (one byte per pixel) as RGBA.</summary>
    public static byte[] GrayToRgba(ReadOnlySpan<byte> gray)
    {
        var rgba = new byte[gray.Length * 4];
        for (int i = 0; i < gray.Length; i++) (rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2], rgba[4 * i + 3]) = (gray[i], gray[i], gray[i], 255);
        return rgba;
    }

    /// <summary>
    /// Writes a PNG of <paramref name="color"/> at <paramref name="bitDepth"/> (8 or 16; palette: 8) from
    /// RGBA pixels (gray types take the red channel; 16-bit samples repeat the byte, v·257). A palette
    /// PNG gets one entry per distinct color, and a tRNS chunk when a color is not opaque.
    /// </summary>
    public static void Png(string path, int width, int height, byte[] rgba, PngColor color = PngColor.Rgba, int bitDepth = 8, byte[]? extraChunk = null, string? extraChunkType = null)
    {
        int sampleBytes = bitDepth / 8;
        var palette = new List<uint>();
        var paletteIndex = new Dictionary<uint, byte>();
        var raw = new MemoryStream();
        for (int y = 0; y < height; y++)
        {
            raw.WriteByte(0); // filter: none
            for (int x = 0; x < width; x++)
            {
                int i = (y * width + x) * 4;
                if (color == PngColor.Palette)
                {
                    uint key = BinaryPrimitives.ReadUInt32BigEndian(rgba.AsSpan(i, 4));
                    if (!paletteIndex.TryGetValue(key, out var index))
                    {
                        if (palette.Count == 256) throw new ArgumentException("A palette PNG holds at most 256 colors.");
                        paletteIndex[key] = index = (byte)palette.Count;
                        palette.Add(key);
                    }
                    raw.WriteByte(index);
                    continue;
                }
                ReadOnlySpan<int> take = color switch
                {
                    PngColor.Gray => [0],
                    PngColor.GrayAlpha => [0, 3],
                    PngColor.Rgb => [0, 1, 2],
                    _ => [0, 1, 2, 3],
                };
                foreach (var c in take)
                    for (int k = 0; k < sampleBytes; k++) raw.WriteByte(rgba[i + c]);
            }
        }
        using var file = File.Create(path);
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)bitDepth;
        ihdr[9] = (byte)color;
        Chunk(file, "IHDR", ihdr);
        if (color == PngColor.Palette)
        {
            Chunk(file, "PLTE", palette.SelectMany(p => new[] { (byte)(p >> 24), (byte)(p >> 16), (byte)(p >> 8) }).ToArray());
            if (palette.Any(p => (p & 0xFF) != 0xFF)) Chunk(file, "tRNS", palette.Select(p => (byte)p).ToArray());
        }
        if (extraChunk is not null) Chunk(file, extraChunkType ?? "tEXt", extraChunk);
        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) raw.WriteTo(z);
        Chunk(file, "IDAT", compressed.ToArray());
        Chunk(file, "IEND", []);
    }

    /// <summary>
    /// A PNG whose container is whole (IHDR declaring <paramref name="width"/>×<paramref name="height"/>
    /// gray pixels, one IDAT, IEND, every checksum right) but whose image data holds one row only:
    /// a reader that trusts the header sees the declared size; decoding the pixels fails.
    /// </summary>
    public static byte[] PngDeclaring(int width, int height)
    {
        var file = new MemoryStream();
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        Chunk(file, "IHDR", ihdr);
        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) z.Write(new byte[1 + width]);
        Chunk(file, "IDAT", compressed.ToArray());
        Chunk(file, "IEND", []);
        return file.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
        s.Write(four);
        var typed = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type, typed);
        data.CopyTo(typed, 4);
        s.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(four, Crc(typed));
        s.Write(four);
    }

    private static uint Crc(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>Writes a 24-bit, bottom-up, uncompressed BMP (alpha dropped).</summary>
    public static void Bmp(string path, int width, int height, byte[] rgba)
    {
        int rowBytes = (width * 3 + 3) / 4 * 4;
        var bytes = new byte[54 + rowBytes * height];
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(34), rowBytes * height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int s = (y * width + x) * 4, d = 54 + (height - 1 - y) * rowBytes + x * 3;
                (bytes[d], bytes[d + 1], bytes[d + 2]) = (rgba[s + 2], rgba[s + 1], rgba[s]);
            }
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>
    /// Writes a GIF89a with a global palette of the image's distinct colors (at most 256, or 255 and the
    /// transparent entry 255 that every pixel whose alpha is below 128 becomes) and, when <paramref name="secondFrame"/> is given,
    /// a second frame that decoders must ignore for a still image.
    /// </summary>
    public static void Gif(string path, int width, int height, byte[] rgba, byte[]? secondFrame = null)
    {
        var colors = new List<(byte, byte, byte)>();
        var index = new Dictionary<(byte, byte, byte), byte>();
        bool transparent = rgba.Where((_, i) => i % 4 == 3).Any(a => a < 128)
            || (secondFrame ?? []).Where((_, i) => i % 4 == 3).Any(a => a < 128);
        int limit = transparent ? 255 : 256;
        byte[] Indices(byte[] pixels)
        {
            var result = new byte[width * height];
            for (int i = 0; i < result.Length; i++)
            {
                if (pixels[4 * i + 3] < 128) { result[i] = 255; continue; }
                var c = (pixels[4 * i], pixels[4 * i + 1], pixels[4 * i + 2]);
                if (!index.TryGetValue(c, out var k))
                {
                    if (colors.Count == limit) throw new ArgumentException($"A GIF palette holds at most {limit} colors here.");
                    index[c] = k = (byte)colors.Count;
                    colors.Add(c);
                }
                result[i] = k;
            }
            return result;
        }
        var frames = new List<byte[]> { Indices(rgba) };
        if (secondFrame is not null) frames.Add(Indices(secondFrame));

        using var s = File.Create(path);
        s.Write("GIF89a"u8);
        Span<byte> two = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(two, (ushort)width); s.Write(two);
        BinaryPrimitives.WriteUInt16LittleEndian(two, (ushort)height); s.Write(two);
        s.WriteByte(0xF7); // global color table of 256 entries
        s.WriteByte(0);
        s.WriteByte(0);
        for (int i = 0; i < 256; i++)
        {
            var (r, g, b) = i < colors.Count ? colors[i] : ((byte)0, (byte)0, (byte)0);
            s.WriteByte(r); s.WriteByte(g); s.WriteByte(b);
        }
        foreach (var frame in frames)
        {
            // Graphic control extension: transparency index 255 when used.
            s.Write([0x21, 0xF9, 4, (byte)(transparent ? 1 : 0), 10, 0, 255, 0]);
            s.WriteByte(0x2C);
            s.Write(new byte[4]);
            BinaryPrimitives.WriteUInt16LittleEndian(two, (ushort)width); s.Write(two);
            BinaryPrimitives.WriteUInt16LittleEndian(two, (ushort)height); s.Write(two);
            s.WriteByte(0);
            s.WriteByte(8); // LZW minimum code size
            var lzw = UncompressedLzw(frame);
            for (int i = 0; i < lzw.Length; i += 255)
            {
                int n = Math.Min(255, lzw.Length - i);
                s.WriteByte((byte)n);
                s.Write(lzw, i, n);
            }
            s.WriteByte(0);
        }
        s.WriteByte(0x3B);
    }

    /// <summary>LZW codes that are all literals (9 bits), with a clear code often enough that the code size never grows.</summary>
    private static byte[] UncompressedLzw(byte[] indices)
    {
        var output = new List<byte>();
        int buffer = 0, bits = 0;
        void Emit(int code)
        {
            buffer |= code << bits;
            bits += 9;
            while (bits >= 8) { output.Add((byte)buffer); buffer >>= 8; bits -= 8; }
        }
        Emit(256);
        for (int i = 0; i < indices.Length; i++)
        {
            if (i > 0 && i % 250 == 0) Emit(256);
            Emit(indices[i]);
        }
        Emit(257);
        if (bits > 0) output.Add((byte)buffer);
        return output.ToArray();
    }

    /// <summary>Writes a JPEG with SkiaSharp (alpha dropped onto black by the encoder), with an EXIF orientation when given.</summary>
    public static void Jpeg(string path, int width, int height, byte[] rgba, int quality = 95, int? exifOrientation = null)
    {
        var bytes = Encode(width, height, rgba, SKEncodedImageFormat.Jpeg, quality);
        if (exifOrientation is { } orientation)
        {
            // APP1 "Exif\0\0", little-endian TIFF header, IFD0 with one entry: Orientation (0x0112, SHORT, 1).
            var app1 = new List<byte> { 0xFF, 0xE1, 0, 0 };
            app1.AddRange("Exif\0\0"u8.ToArray());
            app1.AddRange(new byte[] { (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte)orientation, 0, 0, 0, 0, 0, 0, 0 });
            int length = app1.Count - 2;
            (app1[2], app1[3]) = ((byte)(length >> 8), (byte)length);
            bytes = [.. bytes.AsSpan(0, 2), .. app1, .. bytes.AsSpan(2)];
        }
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Writes a lossless WebP with SkiaSharp (alpha kept).</summary>
    public static void WebP(string path, int width, int height, byte[] rgba)
        => File.WriteAllBytes(path, Encode(width, height, rgba, SKEncodedImageFormat.Webp, 100));

    private static byte[] Encode(int width, int height, byte[] rgba, SKEncodedImageFormat format, int quality)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var data = bitmap.Encode(format, quality) ?? throw new InvalidOperationException($"SkiaSharp cannot encode {format}.");
        return data.ToArray();
    }
}
