using System.Text.Json.Serialization;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>One entry of <c>trainingHistory</c> in <c>metrics.json</c>.</summary>
internal sealed class MetricsJsonEpoch
{
    [JsonPropertyName("epoch"), JsonRequired] public int Epoch { get; set; }
    [JsonPropertyName("trainLoss"), JsonRequired] public double TrainLoss { get; set; }
    [JsonPropertyName("trainAccuracy"), JsonRequired] public double TrainAccuracy { get; set; }
    [JsonPropertyName("validationLoss"), JsonRequired] public double ValidationLoss { get; set; }
    [JsonPropertyName("validationAccuracy"), JsonRequired] public double ValidationAccuracy { get; set; }
    [JsonPropertyName("learningRate"), JsonRequired] public double LearningRate { get; set; }
    [JsonPropertyName("seconds"), JsonRequired] public double Seconds { get; set; }
    [JsonPropertyName("member"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int Member { get; set; }
}
