using System.Text.Json.Serialization;
using MlNetMnist.Pipelines;

namespace MlNetMnist.Server;

// The JSON bodies of the endpoints (camelCase on the wire), documented in docs/serving.md.

/// <summary>One image as JSON: <c>{"pixels": [...]}</c>, C·H·W raw values 0–255 (784 for MNIST).</summary>
/// <param name="Pixels">The pixel values, channel by channel, row by row.</param>
public sealed record PixelsRequest(float[]? Pixels);

/// <summary>Several images: <c>{"images": [{"pixels": [...]}, ...]}</c>, at most <see cref="ServeOptions.MaxImagesPerRequest"/>.</summary>
/// <param name="Images">The images.</param>
public sealed record BatchRequest(IReadOnlyList<PixelsRequest?>? Images);

/// <summary>The answer for one image.</summary>
/// <param name="Label">The most probable class's name.</param>
/// <param name="Probability">Its probability.</param>
/// <param name="Probabilities">Every class's probability, in the order of <paramref name="Labels"/>.</param>
/// <param name="Labels">The class names (left out of the items of a batch: the batch carries them once).</param>
/// <param name="Input">For an image body: the 28×28 pixels the model saw after preprocessing (0–255, row by row).</param>
public sealed record PredictionResponse(
    string Label,
    float Probability,
    float[] Probabilities,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Labels,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int[]? Input = null)
{
    /// <summary>The answer for <paramref name="probabilities"/> of a model with <paramref name="labels"/>.</summary>
    internal static PredictionResponse Of(float[] probabilities, IReadOnlyList<string> labels, bool withLabels, int[]? input = null)
    {
        int best = DigitPrediction.ArgMax(probabilities);
        return new PredictionResponse(labels[best], probabilities[best], probabilities, withLabels ? labels : null, input);
    }
}

/// <summary>The answers for a batch, in request order, and the class names once.</summary>
/// <param name="Predictions">One per image.</param>
/// <param name="Labels">The class names.</param>
public sealed record BatchResponse(IReadOnlyList<PredictionResponse> Predictions, IReadOnlyList<string> Labels);
