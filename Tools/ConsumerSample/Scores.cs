using Microsoft.ML.Data;

/// <summary>The model's output: one probability per class (the ten digits for MNIST).</summary>
public sealed class Scores
{
    /// <summary>Score[k] is the probability of class k; they sum to 1. No fixed size: models may have any number of classes.</summary>
    [ColumnName("Score")]
    public float[] Score { get; set; } = [];
}
