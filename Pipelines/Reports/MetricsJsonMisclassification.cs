using System.Text.Json.Serialization;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>One entry of <c>misclassified</c> in <c>metrics.json</c>.</summary>
internal sealed class MetricsJsonMisclassification
{
    [JsonPropertyName("index"), JsonRequired] public int Index { get; set; }
    [JsonPropertyName("actual"), JsonRequired] public int Actual { get; set; }
    [JsonPropertyName("predicted"), JsonRequired] public int Predicted { get; set; }
    [JsonPropertyName("confidence"), JsonRequired] public float Confidence { get; set; }
    [JsonPropertyName("probabilities"), JsonRequired, JsonConverter(typeof(JsonSingleLineConverter<float[]>))] public float[] Probabilities { get; set; } = [];
}
