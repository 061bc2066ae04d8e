using System.Text.Json.Serialization;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>The top level of <c>metrics.json</c>. The JSON names are a contract: see docs/metrics-json.md.</summary>
internal sealed class MetricsJsonDocument
{
    [JsonPropertyName("title"), JsonRequired] public string Title { get; set; } = "";
    [JsonPropertyName("createdUtc"), JsonRequired] public DateTimeOffset CreatedUtc { get; set; }
    [JsonPropertyName("dataset"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? DataSet { get; set; }
    [JsonPropertyName("labels")] public List<string>? Labels { get; set; }
    [JsonPropertyName("model"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public MetricsJsonModel? Model { get; set; }
    [JsonPropertyName("count"), JsonRequired] public int Count { get; set; }
    [JsonPropertyName("correct"), JsonRequired] public int Correct { get; set; }
    [JsonPropertyName("accuracy"), JsonRequired] public double Accuracy { get; set; }
    [JsonPropertyName("macroAccuracy"), JsonRequired] public double MacroAccuracy { get; set; }
    [JsonPropertyName("logLoss"), JsonRequired] public double LogLoss { get; set; }
    [JsonPropertyName("logLossReduction"), JsonRequired] public double LogLossReduction { get; set; }
    [JsonPropertyName("top2Accuracy"), JsonRequired] public double Top2Accuracy { get; set; }
    [JsonPropertyName("perClass"), JsonRequired] public List<MetricsJsonClass> PerClass { get; set; } = [];
    [JsonPropertyName("confusionMatrix"), JsonRequired, JsonConverter(typeof(JsonMatrixRowsConverter))] public int[][] ConfusionMatrix { get; set; } = [];
    [JsonPropertyName("topConfusions"), JsonRequired] public List<MetricsJsonConfusion> TopConfusions { get; set; } = [];
    [JsonPropertyName("misclassified"), JsonRequired] public List<MetricsJsonMisclassification> Misclassified { get; set; } = [];
    [JsonPropertyName("trainingHistory"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<MetricsJsonEpoch>? TrainingHistory { get; set; }
    [JsonPropertyName("imageLabels"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SortedDictionary<int, string>? ImageLabels { get; set; }
}
