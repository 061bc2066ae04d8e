using System.Text.Json.Serialization;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>One entry of <c>topConfusions</c> in <c>metrics.json</c>.</summary>
internal sealed class MetricsJsonConfusion
{
    [JsonPropertyName("actual"), JsonRequired] public int Actual { get; set; }
    [JsonPropertyName("predicted"), JsonRequired] public int Predicted { get; set; }
    [JsonPropertyName("count"), JsonRequired] public int Count { get; set; }
}
