using System.Security.Cryptography;
using System.Text;

namespace MlNetMnist.Data;

/// <summary>
/// Decoded images of an image folder kept between runs: one file per folder and pixel-changing
/// options (image size, color mode, the version of the decoding chain and of ML.NET), holding the
/// SHA-256 of the listing it was made from: every file's path, size and modification time. Any
/// change to the listing (a file added, removed, rewritten or touched) makes the cache miss and be
/// written anew. A cache that cannot be read is a miss, never an error.
/// </summary>
internal static class ImageFolderCache
{
    private static ReadOnlySpan<byte> Magic => "MLNMIFC1"u8;

    /// <summary>The per-user cache folder: <c>$XDG_CACHE_HOME</c> or <c>~/.cache</c> (local application data on Windows), then <c>MlNetMnist/image-folders</c>.</summary>
    public static string DefaultDirectory()
    {
        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(root))
            root = OperatingSystem.IsWindows()
                ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "MlNetMnist", "image-folders");
    }

    /// <summary>The cache file of <paramref name="directory"/> with these options, in <paramref name="cacheDirectory"/>.</summary>
    public static string FilePath(string cacheDirectory, string directory, int side, ColorMode color)
    {
        var key = $"{Path.GetFullPath(directory)}\n{side}\n{color}\n{ImageFileTransforms.Version}\n{MlNetVersion}";
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..24].ToLowerInvariant();
        var name = new string(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').Take(40).ToArray());
        return Path.Combine(cacheDirectory, $"{name}-{side}-{color.ToString().ToLowerInvariant()}-{hash}.cache");
    }

    /// <summary>The version of ML.NET's image transforms (a new one may decode differently).</summary>
    private static string MlNetVersion => typeof(Microsoft.ML.Data.ImageLoadingTransformer).Assembly.GetName().Version?.ToString() ?? "?";

    /// <summary>The SHA-256 of the listing: every file's split, class, path, size and modification time.</summary>
    public static byte[] ListingHash(IEnumerable<(string Split, ImageFolderFile File)> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (split, file) in files)
            hash.AppendData(Encoding.UTF8.GetBytes($"{split}\0{file.Class}\0{file.Path}\0{file.Length}\0{file.LastWriteUtcTicks}\n"));
        return hash.GetHashAndReset();
    }

    /// <summary>What a cache file holds.</summary>
    public sealed record Entry(int Channels, int Side, byte[] Pixels, List<BadImageFile> Bad, List<int> Composited, List<int> Rotated);

    /// <summary>The cached images of the listing <paramref name="listingHash"/> of <paramref name="count"/> files, or null when there is none, it is stale or unreadable.</summary>
    public static Entry? TryRead(string path, byte[] listingHash, int count)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) return null;
            if (!reader.ReadBytes(listingHash.Length).AsSpan().SequenceEqual(listingHash)) return null;
            int channels = reader.ReadInt32(), side = reader.ReadInt32(), stored = reader.ReadInt32();
            if (stored != count || channels is not (1 or 3) || side is < 1 or > ImageShape.MaxSide) return null;
            var bad = new List<BadImageFile>();
            for (int i = reader.ReadInt32(); i > 0; i--) bad.Add(new BadImageFile(reader.ReadInt32(), (DataSetError)reader.ReadInt32(), reader.ReadString()));
            var composited = ReadIndices(reader);
            var rotated = ReadIndices(reader);
            long length = (long)count * channels * side * side;
            if (stream.Length - stream.Position != length) return null;
            var pixels = GC.AllocateUninitializedArray<byte>((int)length);
            stream.ReadExactly(pixels);
            return new Entry(channels, side, pixels, bad, composited, rotated);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EndOfStreamException or InvalidDataException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Writes the cache file atomically; false when it could not be written (the data set loads all the same).</summary>
    public static bool TryWrite(string path, byte[] listingHash, int count, Entry entry)
    {
        try
        {
            AtomicFile.DeleteStaleTemporaryFiles(Path.GetDirectoryName(path)!);
            AtomicFile.Write(path, stream =>
            {
                using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
                writer.Write(Magic);
                writer.Write(listingHash);
                writer.Write(entry.Channels);
                writer.Write(entry.Side);
                writer.Write(count);
                writer.Write(entry.Bad.Count);
                foreach (var b in entry.Bad)
                {
                    writer.Write(b.Index);
                    writer.Write((int)b.Error);
                    writer.Write(b.Problem);
                }
                WriteIndices(writer, entry.Composited);
                WriteIndices(writer, entry.Rotated);
                writer.Write(entry.Pixels);
            });
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static List<int> ReadIndices(BinaryReader reader)
    {
        int n = reader.ReadInt32();
        if (n < 0) throw new InvalidDataException();
        var list = new List<int>(n);
        for (int i = 0; i < n; i++) list.Add(reader.ReadInt32());
        return list;
    }

    private static void WriteIndices(BinaryWriter writer, List<int> indices)
    {
        writer.Write(indices.Count);
        foreach (var i in indices) writer.Write(i);
    }
}
