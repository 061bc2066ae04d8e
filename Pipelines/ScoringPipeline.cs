using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Transforms.Onnx;
using MlNetMnist.Data;

namespace MlNetMnist.Pipelines;

/// <summary>
/// The ML.NET estimator chain from raw pixels to probabilities, built only from ML.NET's own
/// transforms so a saved model loads in any app that references Microsoft.ML,
/// Microsoft.ML.OnnxTransformer and Microsoft.ML.OnnxRuntime:
/// <c>Pixels</c> (784 floats, 0–255) → <c>Expression</c> normalization with the model's own
/// constants → <c>ApplyOnnxModel</c> → <c>Score</c> (10 probabilities).
/// </summary>
public static class ScoringPipeline
{
    /// <summary>The output column: 10 probabilities, digits 0–9 in order.</summary>
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
        return context.Transforms.Expression(MnistOnnxContract.Input, NormalizationExpression(metadata), MnistDataView.PixelsColumn)
            .Append(context.Transforms.ApplyOnnxModel(new OnnxOptions
            {
                ModelFile = onnxPath,
                InputColumns = [MnistOnnxContract.Input],
                OutputColumns = [MnistOnnxContract.Probabilities],
                IntraOpNumThreads = threads,
            }))
            .Append(context.Transforms.CopyColumns(ScoreColumn, MnistOnnxContract.Probabilities))
            .Append(context.Transforms.DropColumns(MnistOnnxContract.Input, MnistOnnxContract.Probabilities));
    }

    /// <summary>The ML.NET expression <c>x => x * a + b</c> equal to <c>(x / 255 − mean) / std</c>.</summary>
    public static string NormalizationExpression(MnistModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        float scale = (float)(1 / (255 * metadata.NormalizationStd));
        float offset = (float)(-metadata.NormalizationMean / metadata.NormalizationStd);
        return string.Create(CultureInfo.InvariantCulture, $"x => x * {scale:R} + {offset:R}");
    }
}
