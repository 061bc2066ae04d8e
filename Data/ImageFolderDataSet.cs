using System.Globalization;

namespace MlNetMnist.Data;

/// <summary>
/// Loads a data set stored as folders of images, one subfolder per class (or <c>train/</c> and
/// <c>test/</c>, also <c>training/</c> and <c>testing/</c>, each holding the same class subfolders),
/// the layout of torchvision's <c>ImageFolder</c>, Keras' <c>image_dataset_from_directory</c> and
/// ML.NET Model Builder.
/// <list type="bullet">
/// <item>Classes are the subfolder names, sorted ordinally. Image files (PNG, JPEG, BMP, GIF, WebP;
/// extensions in any case) are found recursively below each; hidden files and folders are ignored.</item>
/// <item>Every file's header is checked before decoding (format whatever the extension, complete,
/// at most 20 MiB and 4096×4096 pixels); files are decoded in parallel with ML.NET's image transforms,
/// exactly as <c>model.zip</c> decodes image files (<see cref="ImageFileTransforms"/>), after files with
/// transparency or an EXIF orientation were made opaque on white and upright (<see cref="ImageFilePreparation"/>).</item>
/// <item>Decoded images are cached (<see cref="DataSetOptions.CacheDirectory"/>), keyed by every file's
/// path, size and modification time and the options that change pixels; a second load reads the cache.</item>
/// <item>Without a <c>test/</c> folder, <see cref="DataSetOptions.TestFraction"/> of each class is held
/// out as the test split, chosen with <see cref="DataSetOptions.Seed"/>.</item>
/// </list>
/// What was found is summed up by <see cref="DataSetCounts.Of"/>.
/// </summary>
public static class ImageFolderDataSet
{
    /// <summary>Scans, decodes (or reads from the cache) and splits the images below <paramref name="directory"/>.</summary>
    /// <exception cref="DataSetException">The folder is not laid out as a data set, or an image is bad (unless <see cref="DataSetOptions.SkipBadImages"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static ImageDataSet Load(string directory, DataSetOptions options, IProgress<DecodeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!Directory.Exists(directory))
            throw new DataSetException(DataSetError.NotFound, directory, "directory not found. Point --data-dir at a folder of class folders, or of train/ and test/.");
        directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));

        var notices = new List<string>();
        var (trainFolders, testFolders) = ImageFolderScan.Scan(directory, notices, cancellationToken);
        var classNames = trainFolders.ClassNames;
        var files = trainFolders.Files.Select(f => ("train", f)).ToList();
        if (testFolders is not null)
        {
            // Test folders' classes are the same names; map them to the training order.
            var order = classNames.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
            files.AddRange(testFolders.Files.Select(f => ("test", f with { Class = order[testFolders.ClassNames[f.Class]] })));
        }
        var all = files.Select(f => f.Item2).ToList();
        int side = options.ImageSize;
        long perChannel = (long)all.Count * side * side;
        if (perChannel * (options.Color == ColorMode.Gray ? 1 : 3) > Array.MaxLength)
            throw new DataSetException(DataSetError.BadOption, "--image-size",
                $"{all.Count:N0} images of {side}×{side} pixels do not fit in memory at once; choose a smaller --image-size.");

        var images = DecodeOrReadCache(directory, files, options, progress, cancellationToken, notices);
        var bad = images.Bad;
        if (bad.Count > 0 && !options.SkipBadImages)
        {
            var first = bad[0];
            var more = bad.Count > 1 ? $" ({bad.Count - 1:N0} more file{(bad.Count > 2 ? "s are" : " is")} bad too)" : "";
            throw new DataSetException(first.Error, all[first.Index].Path,
                $"{first.Problem}. Replace or delete it, or pass --skip-bad-images to leave out every file that cannot be used{more}.");
        }
        var skipped = bad.Select(b => $"{all[b.Index].Path}: {b.Problem}").ToList();
        var badIndices = bad.Select(b => b.Index).ToHashSet();
        var shape = new ImageShape(images.Channels, side, side);

        var trainIndices = new List<int>();
        var testIndices = new List<int>();
        string trainDetail, testDetail;
        if (testFolders is not null)
        {
            for (int i = 0; i < files.Count; i++)
                if (!badIndices.Contains(i)) (files[i].Item1 == "train" ? trainIndices : testIndices).Add(i);
            trainDetail = $"folder {Path.GetFileName(trainFolders.Root)}/";
            testDetail = $"folder {Path.GetFileName(testFolders.Root)}/";
        }
        else
        {
            HoldOut(all, badIndices, classNames.Count, options, trainIndices, testIndices);
            trainDetail = string.Create(CultureInfo.InvariantCulture, $"{1 - options.TestFraction:0.##%} of each class (seed {options.Seed})");
            testDetail = string.Create(CultureInfo.InvariantCulture, $"{options.TestFraction:0.##%} of each class held out (seed {options.Seed})");
        }
        // Files come class by class; training takes its validation hold-out from the end of the split
        // and --limit from its start, so the training split is put in a seeded random order, as MNIST's is.
        new Random(options.Seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(trainIndices));
        var train = Split("train", shape, images.Pixels, trainIndices, all, classNames.Count);
        var test = Split("test", shape, images.Pixels, testIndices, all, classNames.Count);
        CheckSplits(directory, trainFolders, testFolders, classNames, train, test);

        PixelNormalization normalization;
        try
        {
            normalization = PixelNormalization.Compute(train);
        }
        catch (ArgumentException e)
        {
            throw new DataSetException(DataSetError.TooFewImages, trainFolders.Root, $"{e.Message} Check that the folders hold the real images.", e);
        }
        var description = new DataSetDescription
        {
            Name = Path.GetFileName(directory) is { Length: > 0 } folderName ? folderName : "images",
            Format = DataSetFormat.ImageFolder,
            Shape = shape,
            ClassNames = classNames,
            Normalization = normalization,
            Train = new SplitOrigin(trainFolders.Root, train.Count, trainDetail),
            Test = new SplitOrigin(testFolders?.Root ?? trainFolders.Root, test.Count, testDetail),
        };
        AddPreparationNotices(notices, images, all);
        var dataSet = new ImageDataSet(directory, description, train, test, notices, skipped);
        if (DataSetCounts.Of(dataSet).UnbalancedWarning is { } warning) notices.Add($"{directory}: {warning}");
        return dataSet;
    }

    /// <summary>The pixels of every file, in one color mode, and what decoding found.</summary>
    private sealed record Images(int Channels, byte[] Pixels, List<BadImageFile> Bad, List<int> Composited, List<int> Rotated);

    private static Images DecodeOrReadCache(string directory, List<(string Split, ImageFolderFile File)> files, DataSetOptions options,
        IProgress<DecodeProgress>? progress, CancellationToken cancellationToken, List<string> notices)
    {
        int side = options.ImageSize;
        string? cacheFile = null;
        byte[] listing = ImageFolderCache.ListingHash(files);
        if (options.CacheDirectory != "")
        {
            cacheFile = ImageFolderCache.FilePath(options.CacheDirectory ?? ImageFolderCache.DefaultDirectory(), directory, side, options.Color);
            if (ImageFolderCache.TryRead(cacheFile, listing, files.Count) is { } cached && cached.Side == side)
            {
                progress?.Report(new DecodeProgress(files.Count, files.Count, FromCache: true));
                return new Images(cached.Channels, cached.Pixels, cached.Bad, cached.Composited, cached.Rotated);
            }
        }

        var all = files.Select(f => f.File).ToList();
        var decoded = ImageFolderDecoder.Decode(all, side, options.Color, stopAtFirstBad: !options.SkipBadImages, progress, cancellationToken);
        bool gray = options.Color switch
        {
            ColorMode.Gray => true,
            ColorMode.Rgb => false,
            _ => decoded.IsGray.Where((_, i) => !decoded.Bad.Any(b => b.Index == i)).All(g => g),
        };
        var pixels = options.Color switch
        {
            ColorMode.Gray => decoded.Gray!,
            ColorMode.Rgb => decoded.Rgb!,
            // Every image has R = G = B: the gray chain would give the red plane exactly (see ImageFileTransforms).
            _ => gray ? RedPlanes(decoded.Rgb!, files.Count, side * side) : decoded.Rgb!,
        };
        var images = new Images(gray ? 1 : 3, pixels, decoded.Bad, decoded.Composited, decoded.Rotated);
        bool complete = options.SkipBadImages || decoded.Bad.Count == 0;
        if (cacheFile is not null && complete
            && !ImageFolderCache.TryWrite(cacheFile, listing, files.Count, new(images.Channels, side, images.Pixels, images.Bad, images.Composited, images.Rotated)))
            notices.Add($"{cacheFile}: the decoded images could not be cached, so the next run decodes them again (check the folder's permissions, or set another cache folder).");
        return images;
    }

    private static byte[] RedPlanes(byte[] rgb, int count, int plane)
    {
        var gray = new byte[(long)count * plane];
        for (int i = 0; i < count; i++) rgb.AsSpan((int)((long)i * 3 * plane), plane).CopyTo(gray.AsSpan(i * plane, plane));
        return gray;
    }

    /// <summary>Holds out <see cref="DataSetOptions.TestFraction"/> of each class (at least one image of a class with two or more, never all of it).</summary>
    private static void HoldOut(List<ImageFolderFile> files, HashSet<int> bad, int classes, DataSetOptions options, List<int> train, List<int> test)
    {
        var perClass = Enumerable.Range(0, classes).Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < files.Count; i++)
            if (!bad.Contains(i)) perClass[files[i].Class].Add(i);
        var random = new Random(options.Seed);
        var held = new bool[files.Count];
        foreach (var members in perClass)
        {
            var shuffled = members.ToArray();
            random.Shuffle(shuffled);
            int n = shuffled.Length;
            int take = n < 2 ? 0 : Math.Clamp((int)Math.Round(n * options.TestFraction, MidpointRounding.AwayFromZero), 1, n - 1);
            foreach (var i in shuffled.Take(take)) held[i] = true;
        }
        for (int i = 0; i < files.Count; i++)
        {
            if (bad.Contains(i)) continue;
            (held[i] ? test : train).Add(i);
        }
    }

    private static ImageSplit Split(string name, ImageShape shape, byte[] pixels, List<int> indices, List<ImageFolderFile> files, int classes)
    {
        int size = shape.PixelCount;
        var result = new byte[(long)indices.Count * size];
        var labels = new int[indices.Count];
        var sources = new string[indices.Count];
        for (int k = 0; k < indices.Count; k++)
        {
            int i = indices[k];
            pixels.AsSpan((int)((long)i * size), size).CopyTo(result.AsSpan(k * size, size));
            labels[k] = files[i].Class;
            sources[k] = files[i].Path;
        }
        return new ImageSplit(name, shape, result, labels, classes, sources);
    }

    private static void CheckSplits(string directory, ImageFolderSplit trainFolders, ImageFolderSplit? testFolders, IReadOnlyList<string> classNames, ImageSplit train, ImageSplit test)
    {
        var trainCounts = train.CountPerClass();
        int missing = Array.IndexOf(trainCounts, 0);
        if (missing >= 0)
            throw new DataSetException(DataSetError.TooFewImages, Path.Combine(trainFolders.Root, classNames[missing]),
                "has no usable training image left (every one was skipped as unreadable); add images of the class or remove the folder.");
        if (test.Count == 0)
            throw new DataSetException(DataSetError.TooFewImages, testFolders?.Root ?? directory,
                testFolders is null
                    ? "has too few images to hold out a test split (every class has one image); add images, or a test/ folder beside a train/ folder."
                    : "has no usable test image (every one was skipped as unreadable).");
    }

    private static void AddPreparationNotices(List<string> notices, Images images, List<ImageFolderFile> files)
    {
        static string Example(List<int> indices, List<ImageFolderFile> files) => files[indices[0]].Path;
        var parts = new List<string>();
        if (images.Composited.Count > 0)
            parts.Add($"{images.Composited.Count:N0} image{(images.Composited.Count > 1 ? "s have" : " has")} transparent pixels, composited onto white (for example {Example(images.Composited, files)})");
        if (images.Rotated.Count > 0)
            parts.Add($"{images.Rotated.Count:N0} carr{(images.Rotated.Count > 1 ? "y" : "ies")} an EXIF orientation, turned upright (for example {Example(images.Rotated, files)})");
        if (parts.Count == 0) return;
        notices.Add(string.Join("; ", parts) + ". ML.NET's LoadImages, and so model.zip on its own, does neither (transparent pixels come out black, the orientation is ignored): " +
            "give model.zip opaque, upright files (ImageFilePreparation.Prepare writes them).");
    }
}
