using System.Text.Json.Serialization;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>The <c>model</c> object of <c>metrics.json</c>: where the evaluated model came from.</summary>
internal sealed class MetricsJsonModel
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("architecture")] public string? Architecture { get; set; }
    [JsonPropertyName("validationAccuracy")] public double? ValidationAccuracy { get; set; }
    [JsonPropertyName("trainSeconds")] public double? TrainSeconds { get; set; }
}
