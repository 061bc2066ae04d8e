using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace MlNetMnist.Data;

/// <summary>
/// Reads IDX files (the MNIST distribution format), raw or gzip-compressed, and validates all of
/// them: magic number, rank, dimensions, payload length against the header, trailing bytes and label
/// range. Every problem is one <see cref="DataSetException"/> naming the file.
/// </summary>
/// <remarks>
/// A truncated gzip stream makes <see cref="GZipStream"/> return the data it has without an error,
/// so every payload length is checked against the header. The declared size is checked against the
/// file's size before anything is allocated, so a header that claims billions of images cannot
/// cause a huge allocation.
/// </remarks>
public static class IdxReader
{
    /// <summary>Magic number of an IDX file of unsigned-byte labels (rank 1).</summary>
    public const int LabelsMagic = 0x0801;

    /// <summary>Magic number of an IDX file of unsigned-byte images (rank 3).</summary>
    public const int ImagesMagic = 0x0803;

    /// <summary>Magic number of an IDX file of big-endian 32-bit integer labels (rank 1), for data sets with more than 256 classes.</summary>
    public const int Int32LabelsMagic = 0x0C01;

    // Deflate cannot expand data by more than about 1032:1; a header declaring more is a lie.
    private const long MaxDeflateRatio = 1032;

    /// <summary>Reads an IDX3 image file.</summary>
    /// <exception cref="DataSetException">The file is missing, unreadable or malformed.</exception>
    public static IdxImages ReadImages(string path) => ReadImages(path, out _);

    /// <summary>Reads an IDX3 image file and returns the SHA-256 (lower-case hex) of its decompressed bytes.</summary>
    /// <exception cref="DataSetException">The file is missing, unreadable or malformed.</exception>
    public static IdxImages ReadImages(string path, out string sha256)
    {
        var (dims, payload, hash) = Read(path, ImagesMagic, "images");
        sha256 = hash;
        return new IdxImages(dims[0], dims[1], dims[2], payload);
    }

    /// <summary>Reads an IDX1 label file (unsigned bytes, or 32-bit integers) whose labels are class indices below <paramref name="classCount"/>.</summary>
    /// <exception cref="DataSetException">The file is missing, unreadable or malformed, or a label is out of range.</exception>
    public static int[] ReadLabels(string path, int classCount = DataSetDescription.MaxClasses) => ReadLabels(path, out _, classCount);

    /// <summary>Reads an IDX1 label file and returns the SHA-256 (lower-case hex) of its decompressed bytes.</summary>
    /// <exception cref="DataSetException">The file is missing, unreadable or malformed, or a label is out of range.</exception>
    public static int[] ReadLabels(string path, out string sha256, int classCount = DataSetDescription.MaxClasses)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        var (dims, payload, hash) = Read(path, LabelsMagic, "labels");
        var labels = new int[dims[0]];
        bool wide = payload.Length == 4L * dims[0] && dims[0] > 0;
        for (int i = 0; i < labels.Length; i++)
            labels[i] = wide ? BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(4 * i, 4)) : payload[i];
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= classCount)
                throw new DataSetException(DataSetError.LabelOutOfRange, path,
                    $"label {labels[i]} at index {i} is outside 0–{classCount - 1}.");
        }
        sha256 = hash;
        return labels;
    }

    private static (int[] Dims, byte[] Payload, string Sha256) Read(string path, int magic, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
            throw new DataSetException(DataSetError.FileMissing, path, "is a directory, not an IDX file.");
        if (!File.Exists(path))
            throw new DataSetException(DataSetError.FileMissing, path, "file not found.");
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            long fileLength = file.Length;
            if (fileLength == 0)
                throw new DataSetException(DataSetError.EmptyFile, path, "the file is empty (0 bytes); delete it and download it again.");
            bool gzip = IsGzip(file);
            if (!gzip && path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
                throw new DataSetException(DataSetError.BadCompression, path, "is named .gz but is not gzip data.");
            using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            return ReadStream(stream, path, magic, what, fileLength, gzip, hash);
        }
        catch (InvalidDataException e)
        {
            throw new DataSetException(DataSetError.BadCompression, path, $"the gzip data is corrupt ({e.Message}).", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSetException(DataSetError.Unreadable, path, $"cannot be read: {e.Message}", e);
        }
    }

    private static (int[] Dims, byte[] Payload, string Sha256) ReadStream(
        Stream stream, string path, int magic, string what, long fileLength, bool gzip, IncrementalHash hash)
    {
        int rank = magic & 0xFF;
        Span<byte> header = stackalloc byte[4 + 4 * 3];
        int headerLength = 4 + 4 * rank;
        if (stream.ReadAtLeast(header[..4], 4, throwOnEndOfStream: false) < 4)
            throw new DataSetException(DataSetError.Truncated, path, "ends inside the IDX header (fewer than 4 bytes).");
        int elementSize = 1;
        if (magic == LabelsMagic && BinaryPrimitives.ReadInt32BigEndian(header[..4]) == Int32LabelsMagic) elementSize = 4;
        else CheckMagic(header[..4], path, magic, what);
        if (stream.ReadAtLeast(header[4..headerLength], 4 * rank, throwOnEndOfStream: false) < 4 * rank)
            throw new DataSetException(DataSetError.Truncated, path, "ends inside the IDX header (its dimensions are cut short).");
        hash.AppendData(header[..headerLength]);

        var dims = new int[rank];
        long payloadLength = elementSize;
        for (int d = 0; d < rank; d++)
        {
            uint value = BinaryPrimitives.ReadUInt32BigEndian(header.Slice(4 + 4 * d, 4));
            if (value > int.MaxValue || (d > 0 && value == 0))
                throw new DataSetException(DataSetError.BadDimensions, path, $"dimension {d} of the IDX header is {value}, which is not a usable size.");
            dims[d] = (int)value;
            payloadLength *= value;
            if (payloadLength > Array.MaxLength)
                throw new DataSetException(DataSetError.BadDimensions, path, $"the header declares more than {Array.MaxLength:N0} bytes of {what}.");
        }

        string declared = rank == 3 ? $"{dims[0]:N0} images of {dims[1]}×{dims[2]}" : $"{dims[0]:N0} labels";
        if (!gzip && fileLength - headerLength < payloadLength)
            throw new DataSetException(DataSetError.Truncated, path,
                $"the header declares {declared} ({payloadLength:N0} bytes) but the file holds only {fileLength - headerLength:N0}; the file is truncated or corrupt, download it again.");
        if (!gzip && fileLength - headerLength > payloadLength)
            throw new DataSetException(DataSetError.TrailingData, path,
                $"the header declares {declared} ({payloadLength:N0} bytes) but the file holds {fileLength - headerLength - payloadLength:N0} bytes more.");
        if (gzip && payloadLength > fileLength * MaxDeflateRatio)
            throw new DataSetException(DataSetError.Truncated, path,
                $"the header declares {declared} ({payloadLength:N0} bytes), more than {fileLength:N0} bytes of gzip data can hold; the file is truncated or corrupt.");

        var (payload, read) = gzip ? ReadGrowing(stream, (int)payloadLength) : ReadExactly(stream, (int)payloadLength);
        if (read < payloadLength)
            throw new DataSetException(DataSetError.Truncated, path,
                $"the header declares {declared} ({payloadLength:N0} bytes) but the data ends after {read:N0}; the file is truncated, download it again.");
        if (stream.ReadByte() >= 0)
            throw new DataSetException(DataSetError.TrailingData, path,
                $"holds more data than the {declared} its header declares.");
        hash.AppendData(payload);
        return (dims, payload, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static (byte[] Buffer, int Read) ReadExactly(Stream stream, int length)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(length);
        return (buffer, stream.ReadAtLeast(buffer, length, throwOnEndOfStream: false));
    }

    /// <summary>
    /// Reads up to <paramref name="length"/> bytes into a buffer that grows (doubling, from 4 MiB)
    /// only as data arrives, so a compressed file whose header lies about its size cannot make the
    /// reader allocate far more than the data it really holds. A complete read ends with a buffer of
    /// exactly <paramref name="length"/> bytes.
    /// </summary>
    private static (byte[] Buffer, int Read) ReadGrowing(Stream stream, int length)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(Math.Min(length, 4 << 20));
        int read = 0;
        while (true)
        {
            read += stream.ReadAtLeast(buffer.AsSpan(read), buffer.Length - read, throwOnEndOfStream: false);
            if (read < buffer.Length || buffer.Length == length) return (buffer, read);
            var larger = GC.AllocateUninitializedArray<byte>((int)Math.Min(length, 2L * buffer.Length));
            buffer.AsSpan(0, read).CopyTo(larger);
            buffer = larger;
        }
    }

    private static void CheckMagic(ReadOnlySpan<byte> bytes, string path, int magic, string what)
    {
        int actual = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (actual == magic) return;
        int otherMagic = magic == ImagesMagic ? LabelsMagic : ImagesMagic;
        if (actual == otherMagic)
            throw new DataSetException(DataSetError.BadMagic, path,
                $"is an IDX {(otherMagic == ImagesMagic ? "images" : "labels")} file (magic {otherMagic}), but {what} (magic {magic}) were expected; are the file names swapped?");
        if (bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0x08)
            throw new DataSetException(DataSetError.BadRank, path,
                $"declares rank {bytes[3]}, but {what} have rank {magic & 0xFF} (magic {magic}).");
        throw new DataSetException(DataSetError.BadMagic, path,
            $"magic number {actual} (0x{actual:X8}) is not {magic}: this is not an IDX file of unsigned-byte {what}.");
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> start = stackalloc byte[2];
        int n = file.ReadAtLeast(start, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return n == 2 && start[0] == 0x1f && start[1] == 0x8b;
    }
}
