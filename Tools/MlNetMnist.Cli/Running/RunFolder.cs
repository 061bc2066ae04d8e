using MlNetMnist.Data;

namespace MlNetMnist.Cli.Running;

/// <summary>
/// The folder a run writes: <c>model.onnx</c>, <c>model.zip</c>, <c>checkpoint</c>, <c>metrics.json</c>,
/// the report files and <c>run.json</c> (see docs/run-folder.md).
/// </summary>
public sealed class RunFolder
{
    private RunFolder(string path) => Path = path;

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>The exported network.</summary>
    public string ModelOnnx => File("model.onnx");

    /// <summary>The ML.NET scoring pipeline with the ONNX model inside.</summary>
    public string ModelZip => File("model.zip");

    /// <summary>TorchSharp weights and optimizer state after the last completed epoch.</summary>
    public string Checkpoint => File("checkpoint");

    /// <summary>The run's configuration, versions, history and timings.</summary>
    public string RunJson => File("run.json");

    /// <summary>The evaluation's figures.</summary>
    public string MetricsJson => File("metrics.json");

    /// <summary>A file in the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>
    /// The folder for a new or resumed run: <paramref name="requested"/>, or a new timestamped folder
    /// under <c>runs/</c>. A non-empty folder that is not a previous run is refused unless
    /// <paramref name="force"/> is set.
    /// </summary>
    /// <exception cref="UserInputException">The folder cannot be used.</exception>
    public static RunFolder Prepare(string? requested, bool resume, bool force)
    {
        var path = System.IO.Path.GetFullPath(requested ?? System.IO.Path.Combine("runs", DateTime.Now.ToString("yyyyMMdd-HHmmss")));
        if (System.IO.File.Exists(path))
            throw new UserInputException($"{path}: is a file; --out must name a folder.");
        var folder = new RunFolder(path);
        AtomicFile.DeleteStaleTemporaryFiles(path); // left by a run that was killed while writing
        if (resume)
        {
            if (!System.IO.File.Exists(folder.Checkpoint))
                throw new UserInputException($"{folder.Checkpoint}: no checkpoint to resume from; run without --resume to start a new run.");
            return folder;
        }
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any() && !IsPreviousRun(folder) && !force)
            throw new UserInputException($"{path}: the folder is not empty and does not hold a previous run; choose another --out or add --force.");
        return folder; // created by the first file written into it
    }

    /// <summary>An existing folder to read a run from.</summary>
    /// <exception cref="UserInputException">The folder does not exist.</exception>
    public static RunFolder Existing(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(full)) throw new UserInputException($"{full}: folder not found.");
        return new RunFolder(full);
    }

    /// <summary>The name of the link to the newest complete run, beside the runs: <c>runs/latest</c>.</summary>
    public const string LatestLinkName = "latest";

    /// <summary>
    /// Points <c>latest</c> in this run's parent folder at this run (a relative symbolic link,
    /// replaced atomically), so <c>runs/latest/model.zip</c> is always the newest complete run's.
    /// Called only after a run has written everything. Returns false, changing nothing, where links
    /// cannot be made (for example a file system without them) or when <c>latest</c> is a real folder.
    /// </summary>
    public bool UpdateLatestLink()
    {
        var parent = System.IO.Path.GetDirectoryName(Path);
        if (parent is null) return false;
        var link = System.IO.Path.Combine(parent, LatestLinkName);
        var info = new DirectoryInfo(link);
        if (info.Exists && info.LinkTarget is null) return false; // someone's own folder named "latest"
        var temp = System.IO.Path.Combine(parent, $".{LatestLinkName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            System.IO.File.CreateSymbolicLink(temp, System.IO.Path.GetFileName(Path));
            // rename(2) replaces the old link atomically; File.Move would follow a link to a folder.
            if (OperatingSystem.IsWindows())
            {
                if (info.Exists) Directory.Delete(link);
                Directory.Move(temp, link);
            }
            else if (Rename(temp, link) != 0)
                throw new IOException($"rename failed with errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            AtomicFile.TryDelete(temp);
            return false;
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string oldPath,
        [System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string newPath);

    private static bool IsPreviousRun(RunFolder folder)
        => System.IO.File.Exists(folder.RunJson) || System.IO.File.Exists(folder.Checkpoint);
}
