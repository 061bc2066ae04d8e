namespace MlNetMnist.Data;

/// <summary>
/// A file or folder could not be written because of where it lives, not because of what is in it:
/// the file system is full or read-only, a quota is exceeded, or permission is denied. An expected
/// failure: the message names the path and the cause in one line, and the write it interrupted left
/// nothing behind (see <see cref="AtomicFile"/>).
/// </summary>
public sealed class StorageException : IOException
{
    // Linux errno values, which .NET puts in IOException.HResult on Unix.
    private const int Eperm = 1, Eio = 5, Eacces = 13, Efbig = 27, Enospc = 28, Erofs = 30, Edquot = 122;

    // Windows HRESULTs of the same causes.
    private const int WinWriteProtect = unchecked((int)0x80070013), WinHandleDiskFull = unchecked((int)0x80070027), WinDiskFull = unchecked((int)0x80070070);

    /// <summary>Wraps <paramref name="inner"/>, a storage failure (see <see cref="IsStorageFailure"/>) writing <paramref name="path"/>.</summary>
    public StorageException(string path, Exception inner)
        : base($"{path}: cannot write: {Cause(inner)}.", inner)
    {
        FilePath = path;
        HResult = inner.HResult;
    }

    /// <summary>The file or folder that could not be written.</summary>
    public string FilePath { get; }

    /// <summary>
    /// Whether <paramref name="exception"/> says the storage refused a write (full, read-only,
    /// quota, permission, device error) rather than that a file is missing or malformed.
    /// </summary>
    public static bool IsStorageFailure(Exception exception) => exception switch
    {
        StorageException => true,
        UnauthorizedAccessException => true,
        IOException { HResult: Eperm or Eio or Eacces or Efbig or Enospc or Erofs or Edquot or WinWriteProtect or WinHandleDiskFull or WinDiskFull } => true,
        _ => false,
    };

    /// <summary>The cause of a storage failure in a few words ("no space left on device").</summary>
    public static string Cause(Exception exception) => exception switch
    {
        StorageException { InnerException: { } inner } => Cause(inner),
        UnauthorizedAccessException => "permission denied",
        IOException { HResult: Enospc or WinDiskFull or WinHandleDiskFull } => "no space left on device",
        IOException { HResult: Erofs or WinWriteProtect } => "read-only file system",
        IOException { HResult: Edquot } => "disk quota exceeded",
        IOException { HResult: Efbig } => "file too large for the file system",
        IOException { HResult: Eacces or Eperm } => "permission denied",
        IOException { HResult: Eio } => "input/output error",
        _ => FirstSentence(exception.Message),
    };

    /// <summary>Runs <paramref name="action"/>, turning a storage failure into a <see cref="StorageException"/> naming <paramref name="path"/>.</summary>
    public static void Guard(string path, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            action();
        }
        catch (Exception e) when (e is not StorageException && IsStorageFailure(e))
        {
            throw new StorageException(path, e);
        }
    }

    private static string FirstSentence(string message)
    {
        var line = message.Split('\n')[0].Trim();
        return line.EndsWith('.') ? line[..^1] : line;
    }
}
