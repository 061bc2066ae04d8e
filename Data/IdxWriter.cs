using System.Buffers.Binary;
using System.IO.Compression;

namespace MlNetMnist.Data;

/// <summary>
/// Writes IDX files: gzip-compressed when the path ends in <c>.gz</c>, raw otherwise. Each file is
/// written atomically (see <see cref="AtomicFile"/>).
/// </summary>
public static class IdxWriter
{
    /// <summary>Writes <paramref name="images"/> as an IDX3 file of unsigned bytes.</summary>
    public static void WriteImages(string path, IdxImages images)
    {
        ArgumentNullException.ThrowIfNull(images);
        Write(path, IdxReader.ImagesMagic, [images.Count, images.Rows, images.Columns], images.Pixels);
    }

    /// <summary>Writes the images of a one-channel <paramref name="split"/> as an IDX3 file of unsigned bytes.</summary>
    /// <exception cref="ArgumentException">The split has more than one channel (IDX images have one).</exception>
    public static void WriteImages(string path, ImageSplit split)
    {
        ArgumentNullException.ThrowIfNull(split);
        if (split.Shape.Channels != 1)
            throw new ArgumentException($"IDX images have one channel; these have {split.Shape.Channels}.", nameof(split));
        WriteImages(path, new IdxImages(split.Count, split.Shape.Height, split.Shape.Width, split.Pixels));
    }

    /// <summary>Writes <paramref name="labels"/> as an IDX1 file of unsigned bytes.</summary>
    public static void WriteLabels(string path, ReadOnlySpan<byte> labels)
        => Write(path, IdxReader.LabelsMagic, [labels.Length], labels.ToArray());

    /// <summary>Writes <paramref name="labels"/> as an IDX1 file: unsigned bytes when every label is below 256, else big-endian 32-bit integers.</summary>
    /// <exception cref="ArgumentException">A label is negative.</exception>
    public static void WriteLabels(string path, ReadOnlySpan<int> labels)
    {
        foreach (var label in labels)
            if (label < 0) throw new ArgumentException($"Label {label} is negative.", nameof(labels));
        bool fitsBytes = true;
        foreach (var label in labels) fitsBytes &= label < 256;
        if (fitsBytes)
        {
            var bytes = new byte[labels.Length];
            for (int i = 0; i < labels.Length; i++) bytes[i] = (byte)labels[i];
            WriteLabels(path, bytes);
            return;
        }
        var wide = new byte[4 * labels.Length];
        for (int i = 0; i < labels.Length; i++) BinaryPrimitives.WriteInt32BigEndian(wide.AsSpan(4 * i), labels[i]);
        Write(path, IdxReader.Int32LabelsMagic, [labels.Length], wide);
    }

    private static void Write(string path, int magic, int[] dims, byte[] payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        bool gzip = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        AtomicFile.Write(path, file =>
        {
            if (!gzip)
            {
                WritePayload(file, magic, dims, payload);
                return;
            }
            using var compressed = new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true);
            WritePayload(compressed, magic, dims, payload);
        });
    }

    private static void WritePayload(Stream stream, int magic, int[] dims, byte[] payload)
    {
        Span<byte> header = stackalloc byte[4 + 4 * dims.Length];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (int d = 0; d < dims.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(header[(4 + 4 * d)..], dims[d]);
        stream.Write(header);
        stream.Write(payload);
    }
}
