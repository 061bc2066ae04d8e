using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetMnist.Data;

/// <summary>A file that could not be used, and why.</summary>
internal sealed record BadImageFile(int Index, DataSetError Error, string Problem);

/// <summary>The pixels of every file, in the files' order, as the chain of <see cref="ImageFileTransforms"/> produced them.</summary>
internal sealed class DecodedImages
{
    /// <summary>The files decoded (bad ones included, their pixels left zero).</summary>
    public required int Count { get; init; }

    /// <summary>The side of every (square) image.</summary>
    public required int Side { get; init; }

    /// <summary>C·H·W RGB pixels of each file, or null when only gray was asked for.</summary>
    public byte[]? Rgb { get; set; }

    /// <summary>The gray plane of each file, or null when only RGB was asked for.</summary>
    public byte[]? Gray { get; set; }

    /// <summary>True for the files whose RGB pixels have red = green = blue everywhere (or that were decoded gray only).</summary>
    public required bool[] IsGray { get; init; }

    /// <summary>Files that could not be used, by index.</summary>
    public List<BadImageFile> Bad { get; } = [];

    /// <summary>Files whose transparent pixels were composited onto white before decoding.</summary>
    public List<int> Composited { get; } = [];

    /// <summary>Files turned upright by their EXIF orientation before decoding.</summary>
    public List<int> Rotated { get; } = [];
}

/// <summary>
/// Decodes image files in parallel with ML.NET's image transforms (<see cref="ImageFileTransforms"/>):
/// each file's header is checked first (format, completeness, size limits), files with transparency
/// or an EXIF orientation are prepared (<see cref="ImageFilePreparation"/>), and the chain then runs
/// over batches of paths on every core.
/// </summary>
internal static class ImageFolderDecoder
{
    private const int BatchSize = 256;
    private const string RgbColumn = "PixelsRgb";
    private const string GrayColumn = "PixelsGray";

    /// <summary>
    /// Decodes <paramref name="files"/> to <paramref name="side"/>×<paramref name="side"/>, gray or RGB as
    /// <paramref name="color"/> asks; for auto, RGB, and <see cref="DecodedImages.IsGray"/> says which images have R = G = B.
    /// </summary>
    /// <remarks>With <c>stopAtFirstBad</c>, decoding stops once a bad file is found (it is then among <see cref="DecodedImages.Bad"/>).</remarks>
    public static DecodedImages Decode(IReadOnlyList<ImageFolderFile> files, int side, ColorMode color, bool stopAtFirstBad,
        IProgress<DecodeProgress>? progress, CancellationToken cancellationToken)
    {
        int count = files.Count, plane = side * side;
        var result = new DecodedImages { Count = count, Side = side, IsGray = new bool[count] };
        bool wantRgb = color != ColorMode.Gray, wantGray = color == ColorMode.Gray;
        if (wantRgb) result.Rgb = new byte[(long)count * 3 * plane];
        if (wantGray) result.Gray = new byte[(long)count * plane];

        var ml = new MLContext(seed: 0);
        var chain = wantGray
            ? ImageFileTransforms.AppendAfterLoading(ml, new ImageShape(1, side, side), null, GrayColumn)
            : ImageFileTransforms.AppendAfterLoading(ml, new ImageShape(3, side, side), null, RgbColumn);
        var transformer = chain.Fit(new DecodedImageDataView([]));

        var prepared = Path.Combine(Path.GetTempPath(), $"mlnetmnist-prepared-{Environment.ProcessId}-{Guid.NewGuid():N}");
        int nextBatch = -1, done = 0, stop = 0;
        var gate = new object();
        try
        {
            int batches = (count + BatchSize - 1) / BatchSize;
            var workers = Enumerable.Range(0, Math.Max(1, Math.Min(Environment.ProcessorCount, batches))).Select(_ => Task.Run(() =>
            {
                var local = new List<BadImageFile>();
                var composited = new List<int>();
                var rotated = new List<int>();
                int batch;
                while ((batch = Interlocked.Increment(ref nextBatch)) < batches && Volatile.Read(ref stop) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int start = batch * BatchSize, end = Math.Min(count, start + BatchSize);
                    var images = new List<(int Index, MLImage Image)>(end - start);
                    try
                    {
                        for (int i = start; i < end; i++)
                        {
                            var image = Load(files[i], i, prepared, local, composited, rotated);
                            if (image is not null) images.Add((i, image));
                        }
                        try
                        {
                            RunChain(ml, transformer, images, result, wantRgb, wantGray, plane);
                        }
                        catch (MissingMethodException e) when (e.Message.Contains("SkiaSharp", StringComparison.Ordinal))
                        {
                            throw new InvalidOperationException(
                                $"ML.NET's image transforms cannot read pixels here: SkiaSharp {typeof(SkiaSharp.SKBitmap).Assembly.GetName().Version} is loaded, " +
                                "but Microsoft.ML.ImageAnalytics 5.0.1 is built against SkiaSharp 2.88 (dotnet/machinelearning#7413). " +
                                "Keep every SkiaSharp of the process at 2.88.x.", e);
                        }
                    }
                    finally
                    {
                        foreach (var (_, image) in images) image.Dispose();
                    }
                    int finished = Interlocked.Add(ref done, end - start);
                    progress?.Report(new DecodeProgress(finished, count, FromCache: false));
                    if (stopAtFirstBad && local.Count > 0) Volatile.Write(ref stop, 1);
                }
                lock (gate)
                {
                    result.Bad.AddRange(local);
                    result.Composited.AddRange(composited);
                    result.Rotated.AddRange(rotated);
                }
            }, CancellationToken.None)).ToArray();
            try
            {
                // Without the token: every worker watches it, and the prepared copies are deleted only once all have stopped.
                Task.WaitAll(workers);
            }
            catch (AggregateException e)
            {
                cancellationToken.ThrowIfCancellationRequested();
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
        finally
        {
            try { if (Directory.Exists(prepared)) Directory.Delete(prepared, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        result.Bad.Sort((a, b) => a.Index.CompareTo(b.Index));
        result.Composited.Sort();
        result.Rotated.Sort();
        return result;
    }

    /// <summary>
    /// Reads and checks one file's bytes and decodes them as <c>LoadImages</c> would decode the file (or,
    /// for a file with transparency or an EXIF orientation, its opaque upright copy); null when it is bad.
    /// </summary>
    private static MLImage? Load(ImageFolderFile file, int index, string preparedFolder, List<BadImageFile> bad, List<int> composited, List<int> rotated)
    {
        if (file.Length > ImageFileHeader.MaxFileBytes)
        {
            bad.Add(new(index, DataSetError.BadDimensions,
                $"is {file.Length:N0} bytes; image files may be at most {ImageFileHeader.MaxFileBytes:N0} bytes (20 MiB). Scale it down or compress it"));
            return null;
        }
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            bad.Add(new(index, DataSetError.Unreadable, $"cannot be read ({e.Message})"));
            return null;
        }
        var header = ImageFileHeader.Read(bytes, out var problem, out var kind);
        if (problem is not null)
        {
            bad.Add(new(index, kind == ImageFileProblem.TooLarge ? DataSetError.BadDimensions : DataSetError.BadImage, problem));
            return null;
        }
        try
        {
            if (ImageFilePreparation.MayNeedPreparation(header))
            {
                var destination = Path.Combine(preparedFolder, $"{index}.png");
                var changes = ImageFilePreparation.Prepare(bytes, header, destination);
                if ((changes & ImageFilePreparation.Changes.CompositedOntoWhite) != 0) composited.Add(index);
                if ((changes & ImageFilePreparation.Changes.Rotated) != 0) rotated.Add(index);
                if (changes != ImageFilePreparation.Changes.None) bytes = File.ReadAllBytes(destination);
            }
            return ImageFileTransforms.Decode(bytes);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            bad.Add(new(index, DataSetError.BadImage, $"is a {ImageFileHeader.Name(header.Format)} file whose pixels cannot be decoded ({e.Message})"));
            return null;
        }
    }

    /// <summary>Runs the rest of the chain (resize, [grayscale,] extract) over decoded images.</summary>
    private static void RunChain(MLContext ml, ITransformer transformer, List<(int Index, MLImage Image)> images, DecodedImages result,
        bool wantRgb, bool wantGray, int plane)
    {
        var output = transformer.Transform(new DecodedImageDataView(images.Select(p => p.Image).ToList()));
        var columns = new List<DataViewSchema.Column>();
        if (wantRgb) columns.Add(output.Schema[RgbColumn]);
        if (wantGray) columns.Add(output.Schema[GrayColumn]);
        using var cursor = output.GetRowCursor(columns);
        var rgbGetter = wantRgb ? cursor.GetGetter<VBuffer<float>>(output.Schema[RgbColumn]) : null;
        var grayGetter = wantGray ? cursor.GetGetter<VBuffer<float>>(output.Schema[GrayColumn]) : null;
        VBuffer<float> rgb = default, gray = default;
        for (int row = 0; cursor.MoveNext(); row++)
        {
            int index = images[row].Index;
            rgbGetter?.Invoke(ref rgb);
            grayGetter?.Invoke(ref gray);
            if (wantRgb)
            {
                var target = result.Rgb.AsSpan((int)((long)index * 3 * plane), 3 * plane);
                Copy(rgb, target);
                result.IsGray[index] = target[..plane].SequenceEqual(target.Slice(plane, plane)) && target[..plane].SequenceEqual(target.Slice(2 * plane, plane));
            }
            else result.IsGray[index] = true;
            if (wantGray) Copy(gray, result.Gray.AsSpan(index * plane, plane));
        }
    }

    private static void Copy(in VBuffer<float> source, Span<byte> target)
    {
        var values = source.GetValues();
        if (values.Length != target.Length)
            throw new InvalidOperationException($"The image transforms produced {values.Length} values where {target.Length} were expected.");
        for (int i = 0; i < values.Length; i++) target[i] = (byte)values[i];
    }
}
