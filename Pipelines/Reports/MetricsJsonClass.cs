using System.Text.Json.Serialization;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>One entry of <c>perClass</c> in <c>metrics.json</c>.</summary>
internal sealed class MetricsJsonClass
{
    [JsonPropertyName("digit"), JsonRequired] public int Digit { get; set; }
    [JsonPropertyName("precision"), JsonRequired] public double Precision { get; set; }
    [JsonPropertyName("recall"), JsonRequired] public double Recall { get; set; }
    [JsonPropertyName("f1"), JsonRequired] public double F1 { get; set; }
    [JsonPropertyName("support"), JsonRequired] public int Support { get; set; }
}
