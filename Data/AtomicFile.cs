namespace MlNetMnist.Data;

/// <summary>
/// Writes files so that readers, and a crash at any moment, see either the old file or the new
/// one, never a partial one: the content goes to a temporary file in the same folder, is flushed to
/// disk, then renamed over the target. When the write fails for any reason the temporary file is
/// deleted; when it fails because of the storage (full, read-only, no permission) the error is a
/// <see cref="StorageException"/> naming the target.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Called with the target and its temporary file once the content has been handed to the
    /// temporary file, before it is flushed and renamed: the moment a crash must not damage the
    /// target. Set only by the CLI's fault-injection switch (<c>MLNETMNIST_HOLD_WRITE</c>).
    /// </summary>
    internal static Action<string, string>? BeforeCommit { get; set; }

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    /// <exception cref="StorageException">The file system is full or read-only, or refuses permission; nothing was changed.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                BeforeCommit?.Invoke(full, temp);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is not StorageException && StorageException.IsStorageFailure(e))
        {
            TryDelete(temp);
            throw new StorageException(full, e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Creates <paramref name="directory"/> and its parents if they do not exist.</summary>
    /// <exception cref="StorageException">The file system is read-only or full, or refuses permission.</exception>
    public static void CreateDirectory(string directory) => StorageException.Guard(directory, () => Directory.CreateDirectory(directory));

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>, atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 to <paramref name="path"/>, atomically.</summary>
    public static void WriteAllText(string path, string text)
        => Write(path, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(text); });

    /// <summary>Moves a finished temporary file over <paramref name="path"/> (same folder), atomically.</summary>
    public static void Commit(string tempPath, string path) => File.Move(tempPath, path, overwrite: true);

    /// <summary>
    /// Deletes the temporary files that a killed writer left in <paramref name="directory"/> (those of
    /// processes no longer running); returns how many were deleted.
    /// </summary>
    public static int DeleteStaleTemporaryFiles(string directory)
    {
        if (!Directory.Exists(directory)) return 0;
        int deleted = 0;
        foreach (var file in Directory.EnumerateFiles(directory, ".*.tmp"))
        {
            // .{name}.{pid}.{guid}.tmp
            var parts = Path.GetFileName(file).Split('.');
            if (parts.Length < 5 || !int.TryParse(parts[^3], out int pid) || IsRunning(pid)) continue;
            TryDelete(file);
            deleted++;
        }
        return deleted;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Deletes <paramref name="path"/> if it exists, ignoring I/O errors.</summary>
    public static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
