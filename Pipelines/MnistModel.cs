using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetMnist.Data;

namespace MlNetMnist.Pipelines;

/// <summary>
/// A fitted ML.NET scoring pipeline for an MlNetMnist image classifier (MNIST digits, or any data
/// set it was trained on): build it from an exported ONNX file, save it as a self-contained
/// <c>model.zip</c>, load it back, score an <see cref="IDataView"/>, or create prediction engines for
/// single images. The image shape and class names come from the ONNX metadata (<see cref="Metadata"/>).
/// </summary>
/// <remarks>
/// A model holds one ONNX Runtime session for the network (native memory and threads), a second,
/// tiny one for its class names (<see cref="ClassNameGraph"/>) and, when loaded from a zip, ML.NET's
/// temporary copies of both: dispose it when done. Engines and pools created from it
/// must not be used after that.
/// </remarks>
public sealed class MnistModel : IDisposable
{
    /// <summary>
    /// The entry of <c>model.zip</c> holding the ONNX network as exported, added beside what ML.NET
    /// saves (which ignores it): where <see cref="Load"/> and <see cref="MnistModelMetadata.ReadFromModelZip"/> read the network.
    /// </summary>
    public const string OnnxEntryName = "MlNetMnist/model.onnx";

    private bool _disposed;

    private MnistModel(MLContext context, ITransformer transformer, DataViewSchema inputSchema, byte[] onnxModel, MnistModelMetadata metadata)
    {
        Context = context;
        Transformer = transformer;
        InputSchema = inputSchema;
        OnnxModel = onnxModel;
        Metadata = metadata;
    }

    /// <summary>The ONNX network inside the pipeline.</summary>
    public byte[] OnnxModel { get; }

    /// <summary>What the ONNX network says about itself: normalization constants, labels, accuracy.</summary>
    public MnistModelMetadata Metadata { get; }

    /// <summary>The ML.NET context the model lives in.</summary>
    public MLContext Context { get; }

    /// <summary>The fitted pipeline.</summary>
    public ITransformer Transformer { get; }

    /// <summary>The schema the pipeline expects: a <c>Pixels</c> column of C·H·W floats (0–255; 784 for MNIST).</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>Builds the scoring pipeline for the ONNX model at <paramref name="onnxPath"/>.</summary>
    /// <param name="onnxPath">An ONNX file exported by MlNetMnist.</param>
    /// <param name="threads">ONNX Runtime intra-op threads; null lets ONNX Runtime decide.</param>
    /// <param name="spinning">Whether ONNX Runtime's idle threads spin (its default); a server turns it off (<see cref="OnnxSessionSettings"/>).</param>
    /// <exception cref="ModelFormatException">The file is missing, not ONNX, or not an MlNetMnist model.</exception>
    public static MnistModel FromOnnx(string onnxPath, int? threads = null, bool spinning = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(onnxPath);
        if (ModelFile.Detect(onnxPath) == ModelFileKind.ModelZip)
            throw new ModelFormatException(onnxPath, "is a zip archive (a model.zip), not an ONNX model; load it with MnistModel.Load.");
        var onnx = File.ReadAllBytes(onnxPath);
        var metadata = MnistModelMetadata.Read(onnx, onnxPath);
        var context = new MLContext();
        OnnxSessionSettings.Apply(context, threads, spinning);
        var empty = metadata.TakesImageFiles
            ? ImageFileTransforms.EmptyInput(context)
            : context.Data.LoadFromEnumerable(Array.Empty<DigitInput>(), InputSchemaDefinition(metadata));
        ITransformer transformer;
        try
        {
            var pipeline = metadata.TakesImageFiles
                ? ScoringPipeline.CreateForImageFiles(context, onnxPath, metadata, threads)
                : ScoringPipeline.Create(context, onnxPath, metadata, threads);
            transformer = pipeline.Fit(empty); // the network's one ONNX Runtime session (and the class-name graph's)
        }
        catch (InvalidOperationException e)
        {
            throw new ModelFormatException(onnxPath, $"is not a valid ONNX model: ONNX Runtime cannot load it ({FirstLine(e.Message)}).", e);
        }
        return new MnistModel(context, transformer, empty.Schema, onnx, metadata);
    }

    /// <summary>Opens a model file, a <c>model.zip</c> (<see cref="Load"/>) or an ONNX file (<see cref="FromOnnx"/>), told apart by content (<see cref="ModelFile.Detect"/>).</summary>
    /// <param name="path">The model file.</param>
    /// <param name="threads">ONNX Runtime intra-op threads; null lets ONNX Runtime decide.</param>
    /// <param name="spinning">Whether ONNX Runtime's idle threads spin (its default); a server turns it off.</param>
    /// <exception cref="ModelFormatException">The file is missing, corrupt, or not a model of this project.</exception>
    public static MnistModel Open(string path, int? threads = null, bool spinning = true)
        => ModelFile.Detect(path) == ModelFileKind.ModelZip ? Load(path, threads, spinning) : FromOnnx(path, threads, spinning);

    /// <summary>Loads a <c>model.zip</c> saved by <see cref="Save"/>.</summary>
    /// <param name="path">The <c>model.zip</c>.</param>
    /// <param name="threads">ONNX Runtime intra-op threads of the loaded sessions; null lets ONNX Runtime decide.</param>
    /// <param name="spinning">Whether ONNX Runtime's idle threads spin (its default); a server turns it off.</param>
    /// <exception cref="ModelFormatException">The file is missing, corrupt, or not a model of this project.</exception>
    public static MnistModel Load(string path, int? threads = null, bool spinning = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (ModelFile.Detect(path) != ModelFileKind.ModelZip)
            throw new ModelFormatException(path, "is not a valid ML.NET model (a model.zip is a zip archive, starting with 'PK'); an ONNX file opens with MnistModel.FromOnnx or MnistModel.Open.");
        var onnx = ModelZip.ReadOnnx(path);
        var metadata = MnistModelMetadata.Read(onnx, path);
        var context = new MLContext();
        OnnxSessionSettings.Apply(context, threads, spinning);
        ITransformer transformer;
        DataViewSchema schema;
        try
        {
            transformer = context.Model.Load(path, out schema); // the network's one ONNX Runtime session (and the class-name graph's)
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or IOException or InvalidDataException or ArgumentException or NotSupportedException)
        {
            throw new ModelFormatException(path, $"is not a valid ML.NET model ({FirstLine(e.Message)}).", e);
        }
        try
        {
            if (metadata.TakesImageFiles)
            {
                if (schema.GetColumnOrNull(ImageFileTransforms.ImagePathColumn) is not { Type: TextDataViewType })
                    throw new ModelFormatException(path, $"is an ML.NET model of an image-folder network, but it takes no '{ImageFileTransforms.ImagePathColumn}' text column.");
            }
            else if (schema.GetColumnOrNull(ImageSplitDataView.PixelsColumn) is not { Type: VectorDataViewType vector } || vector.Size != metadata.Shape.PixelCount)
                throw new ModelFormatException(path, $"is an ML.NET model, but not an image classifier of this project: it takes no '{ImageSplitDataView.PixelsColumn}' column of {metadata.Shape.PixelCount} floats.");
            var output = transformer.GetOutputSchema(schema);
            if (output.GetColumnOrNull(ScoringPipeline.ScoreColumn) is not { Type: VectorDataViewType score } || score.Size != metadata.ClassCount)
                throw new ModelFormatException(path, $"is an ML.NET model, but not an image classifier of this project: it produces no '{ScoringPipeline.ScoreColumn}' column of {metadata.ClassCount} floats.");
        }
        catch
        {
            (transformer as IDisposable)?.Dispose();
            throw;
        }
        return new MnistModel(context, transformer, schema, onnx, metadata);
    }

    /// <summary>
    /// Saves the pipeline and its input schema (ML.NET's part of the zip) and the ONNX network (the
    /// <see cref="OnnxEntryName"/> entry) to <paramref name="path"/>, atomically.
    /// </summary>
    /// <exception cref="StorageException">The file system is full or read-only, or refuses permission; nothing was changed.</exception>
    public void Save(string path)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ModelZip.Save(Context, Transformer, InputSchema, OnnxModel, path);
    }

    /// <summary>Scores <paramref name="data"/> (a <c>Pixels</c> column of C·H·W raw floats), adding the <c>Score</c> column.</summary>
    public IDataView Score(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Transformer.Transform(data);
    }

    /// <summary>Whether <see cref="Dispose"/> was called.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>Releases the ONNX Runtime sessions and ML.NET's temporary copies of the ONNX models. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        (Transformer as IDisposable)?.Dispose();
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    /// <summary>True when the pipeline takes image file paths (a model trained on image folders), false when it takes raw pixels.</summary>
    public bool TakesImageFiles => Metadata.TakesImageFiles;

    /// <summary>
    /// Creates a prediction engine for single images given as raw pixels. It does not own the model:
    /// disposing it leaves this model and every other engine working. Not thread-safe: use one per
    /// thread, or <see cref="CreatePool"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model takes image files (<see cref="CreateImageFileEngine"/>).</exception>
    public PredictionEngine<DigitInput, DigitPrediction> CreatePredictionEngine()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (TakesImageFiles)
            throw new InvalidOperationException("This model was trained on image folders: it takes image file paths. Use CreateImageFileEngine.");
        return Context.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(Transformer, new PredictionEngineOptions
        {
            OwnsTransformer = false,
            InputSchemaDefinition = InputSchemaDefinition(Metadata),
            OutputSchemaDefinition = OutputSchemaDefinition(Metadata),
        });
    }

    /// <summary>
    /// Creates a prediction engine for image files: give it a full path. A model trained on image
    /// folders scores the file with its own pipeline; a raw-pixel model gets the same decoding chain in
    /// front (<see cref="ImageFileTransforms"/>: resized to its input size, gray or RGB), which is how
    /// any image set's own pictures become its pixels (for a user's picture of a digit and a digit
    /// model, <see cref="Images.DigitImageLoader"/> does better: see <see cref="MnistModelMetadata.IsDigitModel"/>).
    /// Files with transparency or an EXIF orientation are seen on black and unturned, as ML.NET's
    /// transforms decode them; pass them through <see cref="ImageFilePreparation.Prepare"/> first to get
    /// the training pixels. Not thread-safe; it does not own the model.
    /// </summary>
    public PredictionEngine<ImagePathRow, DigitPrediction> CreateImageFileEngine()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var options = new PredictionEngineOptions { OwnsTransformer = false, OutputSchemaDefinition = OutputSchemaDefinition(Metadata) };
        if (TakesImageFiles) return Context.Model.CreatePredictionEngine<ImagePathRow, DigitPrediction>(Transformer, options);
        var decode = ImageFileTransforms.Append(Context, Metadata.Shape).Fit(ImageFileTransforms.EmptyInput(Context));
        return Context.Model.CreatePredictionEngine<ImagePathRow, DigitPrediction>(new TransformerChain<ITransformer>(decode, Transformer), options);
    }

    /// <summary>The schema of <see cref="DigitInput"/> with the <c>Pixels</c> size of <paramref name="metadata"/>' image shape.</summary>
    public static SchemaDefinition InputSchemaDefinition(MnistModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var definition = SchemaDefinition.Create(typeof(DigitInput));
        definition[ImageSplitDataView.PixelsColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, metadata.Shape.PixelCount);
        return definition;
    }

    /// <summary>The schema of <see cref="DigitPrediction"/> with one <c>Score</c> per class of <paramref name="metadata"/>.</summary>
    public static SchemaDefinition OutputSchemaDefinition(MnistModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var definition = SchemaDefinition.Create(typeof(DigitPrediction));
        definition[ScoringPipeline.ScoreColumn].ColumnType = new VectorDataViewType(NumberDataViewType.Single, metadata.ClassCount);
        return definition;
    }

    /// <summary>Creates a thread-safe pool of prediction engines over this model; dispose it before the model.</summary>
    public DigitPredictionEnginePool CreatePool()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new(this);
    }
}
