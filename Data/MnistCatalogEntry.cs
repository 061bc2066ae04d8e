namespace MlNetMnist.Data;

/// <summary>One file of the MNIST catalog: its standard name and what its content must be.</summary>
/// <param name="Kind">Which of the four files this is.</param>
/// <param name="FileName">The standard file name as distributed, gzip-compressed (for example <c>train-images-idx3-ubyte.gz</c>).</param>
/// <param name="Sha256">SHA-256 (lower-case hex) of the decompressed bytes.</param>
/// <param name="Length">Length in bytes of the decompressed file.</param>
/// <param name="Count">Number of images or labels.</param>
public sealed record MnistCatalogEntry(MnistFileKind Kind, string FileName, string Sha256, long Length, int Count)
{
    /// <summary>The file name without the <c>.gz</c> suffix, as found in an unpacked copy.</summary>
    public string RawFileName => FileName[..^3];

    /// <summary>
    /// The most bytes a download of this file may take: gzip cannot make data much larger (stored
    /// deflate blocks add 5 bytes per 64 KiB, the header and trailer a few dozen), and a mirror may
    /// serve the raw file, so <see cref="Length"/> plus 1% and 64 KiB covers either with room to
    /// spare; anything longer is not this file.
    /// </summary>
    public long MaxDownloadBytes => Length + Length / 100 + 64 * 1024;
}
