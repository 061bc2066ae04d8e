using Microsoft.ML.Data;

/// <summary>The model's output: one probability per class, and the winning class's name.</summary>
public sealed class Scores
{
    /// <summary>Score[k] is the probability of class k; they sum to 1. No fixed size: models may have any number of classes.</summary>
    [ColumnName("Score")]
    public float[] Score { get; set; } = [];

    /// <summary>The name of the most probable class, as the only element (model.zip computes it from Score and its class names).</summary>
    [ColumnName("PredictedLabel")]
    public string[] PredictedLabel { get; set; } = [];
}
