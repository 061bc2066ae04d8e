using System.Text.Json;
using MlNetMnist.Pipelines;

namespace MlNetMnist.Server;

/// <summary>What <c>GET /model</c> says about the model being served.</summary>
/// <param name="Name">The model file's name (its folder is not disclosed).</param>
/// <param name="Dataset">The data set it was trained on, if recorded.</param>
/// <param name="Labels">The class names, in output order.</param>
/// <param name="InputShape">One image's shape: channels, height, width.</param>
/// <param name="Architecture">The network's name, if recorded.</param>
/// <param name="TestAccuracy">The test accuracy (0–1) from the run's <c>run.json</c> beside the model, if there is one.</param>
/// <param name="ValidationAccuracy">The validation accuracy (0–1) recorded in the model, if any.</param>
/// <param name="Sha256">The SHA-256 of the model file as loaded, lower-case hex.</param>
/// <param name="Generation">1 for the model the server started with, one more for each reload.</param>
/// <param name="LoadedAt">When this model was loaded (UTC).</param>
/// <param name="Accepts">The request bodies <c>POST /predict</c> takes for this model.</param>
public sealed record ModelDescription(
    string Name,
    string? Dataset,
    IReadOnlyList<string> Labels,
    int[] InputShape,
    string? Architecture,
    double? TestAccuracy,
    double? ValidationAccuracy,
    string Sha256,
    int Generation,
    DateTimeOffset LoadedAt,
    IReadOnlyList<string> Accepts)
{
    /// <summary>Describes <paramref name="model"/>, loaded from <paramref name="path"/> with hash <paramref name="sha256"/>.</summary>
    internal static ModelDescription Of(MnistModel model, string path, string sha256, int generation)
    {
        var metadata = model.Metadata;
        var shape = metadata.Shape;
        return new ModelDescription(
            Path.GetFileName(path), metadata.DataSet, metadata.Labels, [shape.Channels, shape.Height, shape.Width], metadata.Architecture,
            TestAccuracyBeside(path), metadata.ValidationAccuracy, sha256, generation, DateTimeOffset.UtcNow,
            TakesDigitImages(model) ? [PredictEndpoints.Json, PredictEndpoints.Png, PredictEndpoints.Jpeg] : [PredictEndpoints.Json]);
    }

    /// <summary>True when image bodies can be preprocessed for <paramref name="model"/>: a digit model, whose image files <c>mnist predict</c> preprocesses the same way (<see cref="MnistModelMetadata.IsDigitModel"/>).</summary>
    internal static bool TakesDigitImages(MnistModel model) => model.Metadata.IsDigitModel;

    /// <summary>The <c>testAccuracy</c> of the <c>run.json</c> that <c>mnist run</c> writes beside the model, when there is a readable one.</summary>
    private static double? TestAccuracyBeside(string path)
    {
        var runJson = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "run.json");
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(runJson));
            return json.RootElement.TryGetProperty("testAccuracy", out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null; // no run folder around the model: the accuracy is simply not known
        }
    }
}
