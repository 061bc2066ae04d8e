using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace MlNetMnist.Data;

/// <summary>
/// The one place where an image file becomes pixels: ML.NET's own image transforms, in the chain
/// that training decodes image folders with and that <c>model.zip</c> runs when it scores an image
/// file. Building both from here is what makes them see the same pixels.
/// <list type="number">
/// <item><c>LoadImages</c> (no image folder: the column holds full paths). SkiaSharp decodes the file;
/// EXIF orientation is not applied and transparent pixels keep premultiplied colors.</item>
/// <item><c>ResizeImages</c> to <see cref="ImageShape.Width"/> × <see cref="ImageShape.Height"/>,
/// <see cref="Resizing"/> anchored at <see cref="CropAnchor"/>: scaled, keeping the aspect ratio, until it
/// covers the square, then the middle cut out. An image that already has the size is left as it is.
/// Drawing onto the opaque result composites any transparency onto black.</item>
/// <item>For one channel, <c>ConvertToGrayscale</c> (0.3 R + 0.59 G + 0.11 B in float, rounded: an image
/// with R = G = B keeps its values exactly, so the gray plane of a gray image is its red plane).</item>
/// <item><c>ExtractPixels</c>, planar (C·H·W: the red plane, then green, then blue; or the one gray
/// plane), no scale or offset: <see cref="float"/> values 0–255, as <see cref="ImageSplit"/> stores them.</item>
/// </list>
/// Training turns files with transparency or an EXIF orientation into opaque, upright PNG copies
/// first (<see cref="ImageFilePreparation"/>), because this chain composites onto black and ignores
/// the orientation.
/// </summary>
public static class ImageFileTransforms
{
    /// <summary>The text input column: the path of an image file.</summary>
    public const string ImagePathColumn = "ImagePath";

    /// <summary>The output column: C·H·W floats 0–255 (the same name as the IDX models' raw-pixel input).</summary>
    public const string PixelsColumn = ImageSplitDataView.PixelsColumn;

    /// <summary>The decoded image column (intermediate).</summary>
    public const string ImageColumn = "Image";

    /// <summary>The resized image column (intermediate).</summary>
    public const string ResizedImageColumn = "ResizedImage";

    /// <summary>The grayscale image column (intermediate, one-channel models only).</summary>
    public const string GrayImageColumn = "GrayImage";

    /// <summary>How images of another size are fitted to the model's: aspect ratio kept, the overflow cropped.</summary>
    public const ImageResizingEstimator.ResizingKind Resizing = ImageResizingEstimator.ResizingKind.IsoCrop;

    /// <summary>Where the crop of <see cref="Resizing"/> is anchored.</summary>
    public const ImageResizingEstimator.Anchor CropAnchor = ImageResizingEstimator.Anchor.Center;

    /// <summary>
    /// Changes whenever the chain would produce other pixels (another transform, option or order):
    /// part of the image-folder cache key, so decoded images cached by an older chain are not reused.
    /// </summary>
    public const int Version = 1;

    /// <summary>
    /// Appends the chain (load, resize, [grayscale,] extract) for images of <paramref name="shape"/>
    /// to <paramref name="estimator"/> (or starts one): it reads file paths from
    /// <paramref name="inputColumn"/> and writes C·H·W floats 0–255 to <paramref name="outputColumn"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The shape does not have 1 or 3 channels.</exception>
    public static IEstimator<ITransformer> Append(MLContext ml, ImageShape shape, IEstimator<ITransformer>? estimator = null,
        string inputColumn = ImagePathColumn, string outputColumn = PixelsColumn)
    {
        ArgumentNullException.ThrowIfNull(ml);
        var load = ml.Transforms.LoadImages(outputColumnName: ImageColumn, imageFolder: null, inputColumnName: inputColumn);
        return AppendAfterLoading(ml, shape, estimator is null ? load : estimator.Append(load), outputColumn);
    }

    /// <summary>
    /// Appends the chain of <see cref="Append"/> with the model's normalization folded into the
    /// extraction: each channel is extracted on its own as <c>(pixel − 255·mean[c]) · 1 / (255·std[c])</c>
    /// (<c>ExtractPixels</c>' offset and scale) and the planes are concatenated in C·H·W order into
    /// <paramref name="outputColumn"/>: the normalized network input. This is the image-file part of
    /// <c>model.zip</c>; only ML.NET's own transforms, so any app with the four ML.NET packages loads it.
    /// </summary>
    /// <returns>The chain and the intermediate columns it leaves, for the caller to drop.</returns>
    /// <exception cref="ArgumentException">The shape does not have 1 or 3 channels, or the normalization another channel count.</exception>
    public static (IEstimator<ITransformer> Chain, string[] Intermediate) AppendNormalized(MLContext ml, ImageShape shape, PixelNormalization normalization,
        string outputColumn, string inputColumn = ImagePathColumn)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(normalization);
        if (shape.Channels is not (1 or 3))
            throw new ArgumentException($"Image files decode to 1 (gray) or 3 (RGB) channels, not {shape.Channels}.", nameof(shape));
        if (normalization.Channels != shape.Channels)
            throw new ArgumentException($"The normalization has {normalization.Channels} channels, the shape {shape.Channels}.", nameof(normalization));
        IEstimator<ITransformer> chain = AppendResize(ml, shape, ml.Transforms.LoadImages(outputColumnName: ImageColumn, imageFolder: null, inputColumnName: inputColumn));
        var source = ResizedImageColumn;
        var intermediate = new List<string> { ImageColumn, ResizedImageColumn };
        if (shape.Channels == 1)
        {
            chain = chain.Append(ml.Transforms.ConvertToGrayscale(outputColumnName: GrayImageColumn, inputColumnName: ResizedImageColumn));
            source = GrayImageColumn;
            intermediate.Add(GrayImageColumn);
        }
        ImagePixelExtractingEstimator.ColorBits[] colors = shape.Channels == 1
            ? [ImagePixelExtractingEstimator.ColorBits.Red] // the gray image has equal red, green and blue
            : [ImagePixelExtractingEstimator.ColorBits.Red, ImagePixelExtractingEstimator.ColorBits.Green, ImagePixelExtractingEstimator.ColorBits.Blue];
        var planes = new string[colors.Length];
        for (int c = 0; c < colors.Length; c++)
        {
            planes[c] = $"{outputColumn}.plane{c}";
            chain = chain.Append(ml.Transforms.ExtractPixels(outputColumnName: planes[c], inputColumnName: source, colorsToExtract: colors[c],
                interleavePixelColors: false, offsetImage: (float)(255 * normalization.Mean[c]), scaleImage: normalization.Scale(c), outputAsFloatArray: true));
        }
        intermediate.AddRange(planes);
        chain = chain.Append(ml.Transforms.Concatenate(outputColumn, planes));
        return (chain, intermediate.ToArray());
    }

    /// <summary>
    /// What <c>LoadImages</c> does with a file's bytes (<c>File.ReadAllBytes</c>, then this): training
    /// decodes the bytes it has already read and checked this way, so every file is read once.
    /// </summary>
    /// <exception cref="ArgumentException">SkiaSharp cannot decode the bytes.</exception>
    internal static MLImage Decode(byte[] bytes) => MLImage.CreateFromStream(new MemoryStream(bytes, writable: false));

    /// <summary>
    /// The chain after <c>LoadImages</c>, from the decoded image column <see cref="ImageColumn"/>:
    /// resize, [grayscale,] extract into <paramref name="outputColumn"/>; appended to <paramref name="estimator"/> when given.
    /// </summary>
    internal static IEstimator<ITransformer> AppendAfterLoading(MLContext ml, ImageShape shape, IEstimator<ITransformer>? estimator, string outputColumn)
    {
        if (shape.Channels is not (1 or 3))
            throw new ArgumentException($"Image files decode to 1 (gray) or 3 (RGB) channels, not {shape.Channels}.", nameof(shape));
        var chain = AppendResize(ml, shape, estimator);
        return shape.Channels == 1 ? AppendGray(ml, chain, outputColumn) : AppendRgb(ml, chain, outputColumn);
    }

    private static IEstimator<ITransformer> AppendResize(MLContext ml, ImageShape shape, IEstimator<ITransformer>? estimator)
    {
        var resize = ml.Transforms.ResizeImages(outputColumnName: ResizedImageColumn, imageWidth: shape.Width, imageHeight: shape.Height,
            inputColumnName: ImageColumn, resizing: Resizing, cropAnchor: CropAnchor);
        return estimator is null ? resize : estimator.Append(resize);
    }

    private static IEstimator<ITransformer> AppendGray(MLContext ml, IEstimator<ITransformer> chain, string outputColumn)
        => chain
            .Append(ml.Transforms.ConvertToGrayscale(outputColumnName: GrayImageColumn, inputColumnName: ResizedImageColumn))
            // The gray image has equal red, green and blue: one of them is the gray plane.
            .Append(ml.Transforms.ExtractPixels(outputColumnName: outputColumn, inputColumnName: GrayImageColumn,
                colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red, interleavePixelColors: false, outputAsFloatArray: true));

    private static IEstimator<ITransformer> AppendRgb(MLContext ml, IEstimator<ITransformer> chain, string outputColumn)
        => chain.Append(ml.Transforms.ExtractPixels(outputColumnName: outputColumn, inputColumnName: ResizedImageColumn,
            colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Rgb, orderOfExtraction: ImagePixelExtractingEstimator.ColorsOrder.ARGB,
            interleavePixelColors: false, outputAsFloatArray: true));

    /// <summary>An empty data view with the text column <paramref name="inputColumn"/>, to fit the chain on (it learns nothing).</summary>
    public static IDataView EmptyInput(MLContext ml, string inputColumn = ImagePathColumn)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentException.ThrowIfNullOrEmpty(inputColumn);
        var schema = Microsoft.ML.Data.SchemaDefinition.Create(typeof(ImagePathRow));
        schema[0].ColumnName = inputColumn;
        return ml.Data.LoadFromEnumerable(Array.Empty<ImagePathRow>(), schema);
    }
}

/// <summary>
/// Decoded images as <c>LoadImages</c> produces them (one column <see cref="ImageFileTransforms.ImageColumn"/>
/// of images of any size), for the rest of the chain: training's input. The images stay the caller's to dispose.
/// </summary>
internal sealed class DecodedImageDataView : IDataView
{
    private readonly IReadOnlyList<MLImage> _images;

    public DecodedImageDataView(IReadOnlyList<MLImage> images)
    {
        _images = images;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(ImageFileTransforms.ImageColumn, new ImageDataViewType());
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _images.Count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private sealed class Cursor(DecodedImageDataView view) : DataViewRowCursor
    {
        private long _position = -1;

        public override DataViewSchema Schema => view.Schema;
        public override long Position => _position;
        public override long Batch => 0;
        public override bool MoveNext() => ++_position < view._images.Count;
        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);
        public override bool IsColumnActive(DataViewSchema.Column column) => column.Index == 0;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            ValueGetter<MLImage> getter = (ref MLImage value) => value = view._images[(int)_position];
            return getter as ValueGetter<TValue> ?? throw new InvalidOperationException($"Column '{column.Name}' holds images, not {typeof(TValue).Name}.");
        }
    }
}

/// <summary>One row of image-file input: the path of the file (<see cref="ImageFileTransforms.ImagePathColumn"/>).</summary>
public sealed class ImagePathRow
{
    /// <summary>The full path of an image file.</summary>
    public string ImagePath { get; set; } = "";
}
