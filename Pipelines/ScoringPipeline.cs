using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Transforms.Onnx;
using MlNetMnist.Data;

namespace MlNetMnist.Pipelines;

/// <summary>
/// The ML.NET estimator chain from raw pixels to probabilities, built only from ML.NET's own
/// transforms so a saved model loads in any app that references Microsoft.ML,
/// Microsoft.ML.OnnxTransformer and Microsoft.ML.OnnxRuntime:
/// <c>Pixels</c> (C·H·W floats, 0–255; 784 for MNIST) → <c>Expression</c> normalization with the
/// model's own constants → <c>ApplyOnnxModel</c> → <c>Score</c> (one probability per class) and
/// <c>PredictedLabel</c> (the winner's class name, <see cref="ClassNameGraph"/>).
/// </summary>
public static class ScoringPipeline
{
    /// <summary>The output column: one probability per class, in the order of the model's labels.</summary>
    public const string ScoreColumn = "Score";

    /// <summary>Builds the estimator for the ONNX model at <paramref name="onnxPath"/>, described by <paramref name="metadata"/>.</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="onnxPath">The ONNX file; its bytes are stored inside any model saved from the fitted chain.</param>
    /// <param name="metadata">The model's metadata (<see cref="MnistModelMetadata.Read(string)"/>), giving the normalization constants.</param>
    /// <param name="threads">ONNX Runtime intra-op threads; null lets ONNX Runtime decide.</param>
    public static IEstimator<ITransformer> Create(MLContext context, string onnxPath, MnistModelMetadata metadata, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(onnxPath);
        ArgumentNullException.ThrowIfNull(metadata);
        var normalize = context.Transforms.Expression(OnnxContract.Input, NormalizationExpression(metadata), ImageSplitDataView.PixelsColumn);
        return AppendNetwork(context, normalize, onnxPath, metadata, threads, []);
    }

    /// <summary>
    /// Builds the estimator that scores image files for the ONNX model at <paramref name="onnxPath"/>
    /// (trained on image folders): <c>ImagePath</c> → <c>LoadImages</c> → <c>ResizeImages</c> →
    /// (<c>ConvertToGrayscale</c>) → <c>ExtractPixels</c> per channel with the model's normalization →
    /// <c>Concatenate</c> → <c>ApplyOnnxModel</c> → <c>Score</c>; the decoding is training's own
    /// (<see cref="ImageFileTransforms"/>).
    /// </summary>
    public static IEstimator<ITransformer> CreateForImageFiles(MLContext context, string onnxPath, MnistModelMetadata metadata, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(onnxPath);
        ArgumentNullException.ThrowIfNull(metadata);
        var (chain, intermediate) = ImageFileTransforms.AppendNormalized(context, metadata.Shape, metadata.Normalization, OnnxContract.Input);
        return AppendNetwork(context, chain, onnxPath, metadata, threads, intermediate);
    }

    /// <summary>
    /// The part after the network input: <c>ApplyOnnxModel</c> (the network) → the class name of the
    /// winner (<see cref="ClassNameGraph"/>, a second, tiny ONNX model) → <c>Score</c>; the network's
    /// input, its <c>probabilities</c> and <paramref name="intermediate"/> columns dropped.
    /// </summary>
    private static IEstimator<ITransformer> AppendNetwork(MLContext context, IEstimator<ITransformer> chain, string onnxPath, MnistModelMetadata metadata,
        int? threads, string[] intermediate)
        => chain
            .Append(context.Transforms.ApplyOnnxModel(new OnnxOptions
            {
                ModelFile = onnxPath,
                InputColumns = [OnnxContract.Input],
                OutputColumns = [OnnxContract.Probabilities],
                IntraOpNumThreads = threads,
            }))
            .Append(context.Transforms.ApplyOnnxModel([ClassNameGraph.OutputName], [OnnxContract.Probabilities],
                new MemoryStream(ClassNameGraph.Build(metadata.Labels), writable: false), gpuDeviceId: null, fallbackToCpu: false))
            .Append(context.Transforms.CopyColumns(ScoreColumn, OnnxContract.Probabilities))
            .Append(context.Transforms.DropColumns([.. intermediate, OnnxContract.Input, OnnxContract.Probabilities]));

    /// <summary>The ML.NET expression <c>x => x * a + b</c> equal to <c>(x / 255 − mean) / std</c>.</summary>
    /// <exception cref="NotSupportedException">The model has several channels, each with its own normalization, which one expression over a pixel vector cannot apply.</exception>
    public static string NormalizationExpression(MnistModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var normalization = metadata.Normalization;
        if (normalization.Channels != 1)
            throw new NotSupportedException($"A raw-pixel pipeline normalizes one channel; this model has {normalization.Channels}: score its images by file path.");
        return string.Create(CultureInfo.InvariantCulture, $"x => x * {normalization.Scale(0):R} + {normalization.Offset(0):R}");
    }
}
