using Microsoft.ML.Data;

/// <summary>The model's output: one probability for each digit 0–9.</summary>
public sealed class DigitScores
{
    /// <summary>Score[d] is the probability that the image shows the digit d; they sum to 1.</summary>
    [ColumnName("Score")]
    [VectorType(10)]
    public float[] Score { get; set; } = [];
}
