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

    /// <summary>Writes <paramref name="labels"/> as an IDX1 file of unsigned bytes.</summary>
    public static void WriteLabels(string path, ReadOnlySpan<byte> labels)
        => Write(path, IdxReader.LabelsMagic, [labels.Length], labels.ToArray());

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
