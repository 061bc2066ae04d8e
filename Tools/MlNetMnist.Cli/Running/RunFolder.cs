using MlNetMnist.Data;

namespace MlNetMnist.Cli.Running;

/// <summary>
/// The folder a run writes: <c>model.onnx</c>, <c>model.zip</c>, <c>checkpoint</c> (an ensemble:
/// <c>member0.checkpoint</c>, <c>member1.checkpoint</c>, …), <c>metrics.json</c>,
/// the report files and <c>run.json</c> (see docs/run-folder.md). A run claims its folder with the
/// marker file <see cref="MarkerName"/>, created atomically, so two runs never share a folder by
/// accident: a new folder gets a name no other run has claimed, and an existing run folder is
/// written into only with <c>--resume</c> or <c>--force</c>. Disposing a prepared folder that is
/// still empty (the command failed or was stopped before writing anything) removes it again.
/// </summary>
public sealed class RunFolder : IDisposable
{
    /// <summary>The marker a run leaves in its folder; its presence makes the folder a run folder.</summary>
    public const string MarkerName = ".mnist-run";

    /// <summary>Suffixes tried after the timestamp (<c>-2</c>, <c>-3</c>, …) before giving up.</summary>
    private const int MaxSuffix = 1_000;

    private readonly bool _createdFolder;
    private readonly bool _createdMarker;

    private RunFolder(string path, bool createdFolder = false, bool createdMarker = false)
    {
        Path = path;
        _createdFolder = createdFolder;
        _createdMarker = createdMarker;
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>The exported network.</summary>
    public string ModelOnnx => File("model.onnx");

    /// <summary>The ML.NET scoring pipeline with the ONNX model inside.</summary>
    public string ModelZip => File("model.zip");

    /// <summary>TorchSharp weights and optimizer state after the last completed epoch.</summary>
    public string Checkpoint => File("checkpoint");

    /// <summary>The checkpoint of ensemble member <paramref name="index"/> (0-based): <c>member0.checkpoint</c>, <c>member1.checkpoint</c>, …</summary>
    public string MemberCheckpoint(int index) => File($"member{index}.checkpoint");

    /// <summary>Whether the folder holds an ensemble's checkpoints (member 0's) rather than one network's.</summary>
    public bool HoldsEnsemble() => System.IO.File.Exists(MemberCheckpoint(0));

    /// <summary>
    /// Deletes the checkpoints of an earlier run that a new one overwritten with <c>--force</c> would
    /// not replace: for a new network the ensemble members', for a new ensemble those and the
    /// network's (a new network's own checkpoint is replaced atomically after its first epoch).
    /// </summary>
    public void DeleteOtherCheckpoints(bool ensemble)
    {
        StorageException.Guard(Path, () =>
        {
            if (ensemble) System.IO.File.Delete(Checkpoint);
            for (int i = 0; i <= ModelDefinition.Training.TrainingOptions.MaxEnsembleMembers; i++) System.IO.File.Delete(MemberCheckpoint(i));
        });
    }

    /// <summary>The run's configuration, versions, history and timings.</summary>
    public string RunJson => File("run.json");

    /// <summary>The evaluation's figures.</summary>
    public string MetricsJson => File("metrics.json");

    /// <summary>The marker that claims the folder for a run.</summary>
    public string Marker => File(MarkerName);

    /// <summary>A file in the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>
    /// The folder for a new or resumed run, claimed for it. Without <paramref name="requested"/>, a
    /// new folder <c>runs/yyyyMMdd-HHmmss</c> (local time), or with a suffix <c>-2</c>, <c>-3</c>, …
    /// when that name is taken: an existing folder is never reused. With <paramref name="requested"/>:
    /// that folder, which must be new or empty, or hold a previous run (a checkpoint, <c>run.json</c>
    /// or the marker) and then only with <paramref name="resume"/> or <paramref name="force"/>, or
    /// hold other files and then only with <paramref name="force"/>.
    /// </summary>
    /// <exception cref="UserInputException">The folder cannot be used.</exception>
    /// <exception cref="StorageException">The folder cannot be created (read-only, full, no permission).</exception>
    public static RunFolder Prepare(string? requested, bool resume, bool force)
    {
        if (requested is null)
        {
            if (resume) throw new UserInputException("--resume needs --out: the folder of the run to continue.");
            return CreateUnique(System.IO.Path.GetFullPath("runs"), DateTime.Now.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
        }
        var path = System.IO.Path.GetFullPath(requested);
        if (System.IO.File.Exists(path))
            throw new UserInputException($"{path}: is a file; --out must name a folder.");
        var folder = new RunFolder(path);
        AtomicFile.DeleteStaleTemporaryFiles(path); // left by a run that was killed while writing
        if (resume)
        {
            if (!System.IO.File.Exists(folder.Checkpoint) && !folder.HoldsEnsemble())
                throw new UserInputException($"{folder.Checkpoint}: no checkpoint to resume from; run without --resume to start a new run.");
            TryClaim(path); // a run of an older version has no marker yet
            return folder;
        }
        bool existed = Directory.Exists(path);
        if (existed && !force)
        {
            if (folder.IsRunFolder())
                throw new UserInputException($"{path}: holds a previous run (or one in progress); add --resume to continue it, --force to overwrite it, or choose another --out.");
            if (Directory.EnumerateFileSystemEntries(path).Any())
                throw new UserInputException($"{path}: the folder is not empty and does not hold a previous run; choose another --out or add --force.");
        }
        AtomicFile.CreateDirectory(path);
        bool claimed = TryClaim(path);
        if (!claimed && !force)
            throw new UserInputException($"{path}: another run claimed this folder a moment ago; choose another --out.");
        return new RunFolder(path, createdFolder: !existed, createdMarker: claimed);
    }

    /// <summary>A new folder under <paramref name="parent"/> named <paramref name="stem"/>, or <c>stem-2</c>, <c>stem-3</c>, …: the first no one has.</summary>
    private static RunFolder CreateUnique(string parent, string stem)
    {
        AtomicFile.CreateDirectory(parent);
        for (int suffix = 1; suffix <= MaxSuffix; suffix++)
        {
            var path = System.IO.Path.Combine(parent, suffix == 1 ? stem : $"{stem}-{suffix}");
            if (System.IO.File.Exists(path) || Directory.Exists(path)) continue; // someone's: never reused
            AtomicFile.CreateDirectory(path);
            // Another run may have created the same folder a moment ago: the marker decides, and a
            // folder with anything else in it belongs to someone else.
            if (!TryClaim(path)) continue;
            var folder = new RunFolder(path, createdFolder: true, createdMarker: true);
            if (!folder.HoldsAnythingButTheMarker()) return folder;
            AtomicFile.TryDelete(folder.Marker);
        }
        throw new UserInputException($"{System.IO.Path.Combine(parent, stem)}: this folder and {MaxSuffix - 1} suffixed ones are taken; pass --out.");
    }

    /// <summary>
    /// Creates the marker in <paramref name="path"/> unless it exists: written whole to a temporary
    /// file, then linked into place without overwriting, so exactly one of several runs racing for
    /// the folder gets true.
    /// </summary>
    private static bool TryClaim(string path)
    {
        var marker = System.IO.Path.Combine(path, MarkerName);
        if (System.IO.File.Exists(marker)) return false;
        var temp = System.IO.Path.Combine(path, $"{MarkerName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            StorageException.Guard(path, () => // the folder is what cannot be written
            {
                System.IO.File.WriteAllText(temp, $"mnist run folder, claimed by process {Environment.ProcessId} at {DateTime.UtcNow:O}\n");
                System.IO.File.Move(temp, marker, overwrite: false);
            });
            return true;
        }
        catch (IOException) when (System.IO.File.Exists(marker))
        {
            return false; // another run's marker won
        }
        finally
        {
            AtomicFile.TryDelete(temp);
        }
    }

    /// <summary>
    /// Removes what <see cref="Prepare"/> created when nothing else was written: the marker, and the
    /// folder itself if it did not exist before. A folder holding any file of the run is kept.
    /// </summary>
    public void Dispose()
    {
        if (!_createdMarker) return;
        try
        {
            if (HoldsAnythingButTheMarker()) return;
            AtomicFile.TryDelete(Marker);
            if (_createdFolder) Directory.Delete(Path); // only if still empty
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
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

    /// <summary>Whether the folder holds anything but the marker and markers being written by racing runs.</summary>
    private bool HoldsAnythingButTheMarker()
        => Directory.EnumerateFileSystemEntries(Path).Select(System.IO.Path.GetFileName)
            .Any(name => name != MarkerName && !(name!.StartsWith(MarkerName + ".", StringComparison.Ordinal) && name.EndsWith(".tmp", StringComparison.Ordinal)));

    /// <summary>Whether the folder holds a run: its marker, or (from before markers) a checkpoint or <c>run.json</c>.</summary>
    private bool IsRunFolder()
        => System.IO.File.Exists(Marker) || System.IO.File.Exists(RunJson) || System.IO.File.Exists(Checkpoint) || HoldsEnsemble();
}
