using System.IO.Enumeration;

namespace MlNetMnist.Data;

/// <summary>One image file found below a class folder.</summary>
/// <param name="Path">Its full path.</param>
/// <param name="Class">The index of its class (the class folder's place in the sorted class names).</param>
/// <param name="Length">Its size in bytes.</param>
/// <param name="LastWriteUtcTicks">Its modification time.</param>
internal sealed record ImageFolderFile(string Path, int Class, long Length, long LastWriteUtcTicks);

/// <summary>The class folders of one split: their root, their names (sorted ordinally) and their image files.</summary>
internal sealed record ImageFolderSplit(string Root, IReadOnlyList<string> ClassNames, IReadOnlyList<ImageFolderFile> Files);

/// <summary>
/// Finds the layout of an image-folder data set: one subfolder per class, or <c>train/</c> and
/// <c>test/</c> (also <c>training/</c>, <c>testing/</c>) each holding the same class subfolders. Hidden
/// entries are never classes nor images; every layout mistake is a <see cref="DataSetException"/>
/// naming the folder and what to do.
/// </summary>
internal static class ImageFolderScan
{
    private static readonly string[] TrainNames = ["train", "training"];
    private static readonly string[] TestNames = ["test", "testing"];

    /// <summary>Names that are never data: hidden files of macOS, Windows and Jupyter, and zip archives' resource forks.</summary>
    private static readonly HashSet<string> IgnoredNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Thumbs.db", "ehthumbs.db", "desktop.ini", "__MACOSX", "$RECYCLE.BIN", "System Volume Information",
    };

    /// <summary>True when <paramref name="entry"/> is hidden: its name starts with a dot, it is a known system file, or it has the hidden attribute.</summary>
    public static bool IsHidden(FileSystemInfo entry) => IsHidden(entry.Name, entry.Attributes);

    private static bool IsHidden(ReadOnlySpan<char> name, FileAttributes attributes)
        => name.StartsWith('.') || IgnoredNames.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name)
           || (OperatingSystem.IsWindows() && (attributes & FileAttributes.Hidden) != 0);

    /// <summary>Scans <paramref name="directory"/>; the test split is null when there is no <c>test/</c> folder.</summary>
    public static (ImageFolderSplit Train, ImageFolderSplit? Test) Scan(string directory, List<string> notices, CancellationToken cancellationToken)
    {
        var root = new DirectoryInfo(directory);
        var (folders, images) = Entries(root, notices);
        var train = Pick(root, folders, TrainNames);
        var test = Pick(root, folders, TestNames);
        if (train is not null && test is not null)
        {
            if (images.Count > 0)
                throw Mixed(root, [train, test], images);
            var others = folders.Where(f => f != train && f != test).Select(f => f.Name).ToList();
            if (others.Count > 0)
                notices.Add($"{root.FullName}: ignored the folder{(others.Count > 1 ? "s" : "")} {Quote(others)} beside {train.Name}/ and {test.Name}/ (only those two are read).");
            var trainSplit = ScanClasses(train, notices, cancellationToken);
            var testSplit = ScanClasses(test, notices, cancellationToken);
            CheckSameClasses(trainSplit, testSplit);
            return (trainSplit, testSplit);
        }
        if (train is not null && folders.Count == 1 && images.Count == 0)
            return (ScanClasses(train, notices, cancellationToken), null);
        return (ScanClasses(root, notices, cancellationToken), null);
    }

    private static DirectoryInfo? Pick(DirectoryInfo root, List<DirectoryInfo> folders, string[] names)
    {
        var matches = folders.Where(f => names.Contains(f.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        if (matches.Count > 1)
            throw new DataSetException(DataSetError.BadLayout, root.FullName,
                $"holds both {Quote(matches.Select(m => m.Name + "/"))}; keep one folder per split.");
        return matches.SingleOrDefault();
    }

    /// <summary>The visible subfolders and image files of <paramref name="directory"/>, sorted ordinally; other files are noted and ignored.</summary>
    private static (List<DirectoryInfo> Folders, List<FileInfo> Images) Entries(DirectoryInfo directory, List<string> notices)
    {
        var folders = new List<DirectoryInfo>();
        var images = new List<FileInfo>();
        foreach (var entry in Enumerate(directory))
        {
            if (IsHidden(entry)) continue;
            if (entry is DirectoryInfo d) folders.Add(d);
            else if (entry is FileInfo f && ImageFileHeader.HasImageExtension(f.Name)) images.Add(f);
        }
        folders.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        images.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return (folders, images);
    }

    private static IEnumerable<FileSystemInfo> Enumerate(DirectoryInfo directory)
    {
        try
        {
            return directory.EnumerateFileSystemInfos().ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSetException(DataSetError.Unreadable, directory.FullName, $"cannot be listed: {e.Message}", e);
        }
    }

    private static ImageFolderSplit ScanClasses(DirectoryInfo root, List<string> notices, CancellationToken cancellationToken)
    {
        var (classes, looseImages) = Entries(root, notices);
        if (classes.Count == 0 && looseImages.Count == 0)
            throw new DataSetException(DataSetError.TooFewImages, root.FullName,
                $"holds no images: a data set is either IDX files or one subfolder of images per class (for example {Path.Combine(root.FullName, "cat")}{Path.DirectorySeparatorChar}1.png, {Path.Combine(root.FullName, "dog")}{Path.DirectorySeparatorChar}1.png).");
        if (classes.Count == 0)
            throw new DataSetException(DataSetError.BadLayout, root.FullName,
                $"holds {looseImages.Count:N0} image{(looseImages.Count > 1 ? "s" : "")} (for example {looseImages[0].Name}) but no class folders: put each class's images in a subfolder named after the class.");
        if (looseImages.Count > 0)
            throw Mixed(root, classes, looseImages);
        if (classes.Count > DataSetDescription.MaxClasses)
            throw new DataSetException(DataSetError.BadLayout, root.FullName,
                $"has {classes.Count:N0} class folders; at most {DataSetDescription.MaxClasses:N0} classes are supported.");

        var names = classes.Select(c => c.Name).ToArray();
        var files = new List<ImageFolderFile>();
        var empty = new List<DirectoryInfo>();
        int otherFiles = 0;
        string? otherExample = null;
        for (int c = 0; c < classes.Count; c++)
        {
            int before = files.Count;
            var found = new List<ImageFolderFile>();
            Collect(classes[c], found, c, ref otherFiles, ref otherExample, cancellationToken);
            found.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
            files.AddRange(found);
            if (files.Count == before) empty.Add(classes[c]);
        }
        if (files.Count == 0)
            throw new DataSetException(DataSetError.TooFewImages, root.FullName,
                $"holds no images in any of its {classes.Count} folders ({Quote(names.Take(5))}{(names.Length > 5 ? ", …" : "")}); put the images of each class in its folder, as {string.Join(", ", ImageFileHeader.Extensions.Take(5))}, … files.");
        if (empty.Count > 0)
            throw new DataSetException(DataSetError.TooFewImages, empty[0].FullName,
                $"is a class folder with no images{(empty.Count > 1 ? $" (and {empty.Count - 1} more: {Quote(empty.Skip(1).Take(5).Select(e => e.Name))})" : "")}; add images of the class '{empty[0].Name}' or remove the folder.");
        if (classes.Count == 1)
            throw new DataSetException(DataSetError.TooFewImages, root.FullName,
                $"has one class folder ({names[0]}); a classifier needs at least two: add a folder of images for every other class.");
        if (otherFiles > 0)
            notices.Add($"{root.FullName}: ignored {otherFiles:N0} file{(otherFiles > 1 ? "s" : "")} that {(otherFiles > 1 ? "are" : "is")} not {string.Join("/", ImageFileHeader.Extensions.Select(e => e.TrimStart('.')))} (for example {otherExample}).");
        return new ImageFolderSplit(root.FullName, names, files);
    }

    /// <summary>One entry of a folder listing, with the size and time the listing's stat gave (one stat per entry).</summary>
    private readonly record struct Found(string Name, string FullPath, bool IsDirectory, bool IsLink, long Length, long LastWriteUtcTicks);

    private static void Collect(DirectoryInfo folder, List<ImageFolderFile> found, int classIndex, ref int otherFiles, ref string? otherExample, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<Found> entries;
        try
        {
            entries = new FileSystemEnumerable<Found>(folder.FullName,
                (ref FileSystemEntry e) => new Found(e.FileName.ToString(), e.ToFullPath(), e.IsDirectory, (e.Attributes & FileAttributes.ReparsePoint) != 0,
                    e.IsDirectory ? 0 : e.Length, e.IsDirectory ? 0 : e.LastWriteTimeUtc.UtcTicks),
                new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false })
            {
                ShouldIncludePredicate = (ref FileSystemEntry e) => !IsHidden(e.FileName, e.Attributes),
            }.ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSetException(DataSetError.Unreadable, folder.FullName, $"cannot be listed: {e.Message}", e);
        }
        foreach (var entry in entries)
        {
            if (entry.IsDirectory)
            {
                if (!entry.IsLink) // no loops through links
                    Collect(new DirectoryInfo(entry.FullPath), found, classIndex, ref otherFiles, ref otherExample, cancellationToken);
            }
            else if (ImageFileHeader.HasImageExtension(entry.Name))
                found.Add(new ImageFolderFile(entry.FullPath, classIndex, entry.Length, entry.LastWriteUtcTicks));
            else
            {
                otherFiles++;
                otherExample ??= entry.FullPath;
            }
        }
    }

    private static DataSetException Mixed(DirectoryInfo root, IReadOnlyList<DirectoryInfo> folders, List<FileInfo> images)
        => new(DataSetError.BadLayout, root.FullName,
            $"mixes class folders ({Quote(folders.Take(3).Select(f => f.Name + "/"))}{(folders.Count > 3 ? ", …" : "")}) with {images.Count:N0} loose image{(images.Count > 1 ? "s" : "")} (for example {images[0].Name}); move every image into the folder of its class.");

    private static void CheckSameClasses(ImageFolderSplit train, ImageFolderSplit test)
    {
        var trainSet = train.ClassNames.ToHashSet(StringComparer.Ordinal);
        var testSet = test.ClassNames.ToHashSet(StringComparer.Ordinal);
        if (trainSet.SetEquals(testSet)) return;
        var onlyTest = test.ClassNames.Where(n => !trainSet.Contains(n)).ToList();
        var onlyTrain = train.ClassNames.Where(n => !testSet.Contains(n)).ToList();
        var parts = new List<string>();
        if (onlyTest.Count > 0) parts.Add($"has {Quote(onlyTest)}, which {Path.GetFileName(train.Root)}/ lacks");
        if (onlyTrain.Count > 0) parts.Add($"lacks {Quote(onlyTrain)}, which {Path.GetFileName(train.Root)}/ has");
        throw new DataSetException(DataSetError.ClassMismatch, test.Root,
            $"{string.Join(" and ", parts)}; both splits need the same class folders.");
    }

    private static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
