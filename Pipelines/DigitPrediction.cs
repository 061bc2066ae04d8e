using Microsoft.ML.Data;

namespace MlNetMnist.Pipelines;

/// <summary>The model's answer for one image.</summary>
public sealed class DigitPrediction
{
    /// <summary>The probability of each class, in the order of the model's labels; they sum to 1.</summary>
    [ColumnName(ScoringPipeline.ScoreColumn)]
    [VectorType]
    public float[] Score { get; set; } = [];

    /// <summary>The index of the most probable class (the index of the largest <see cref="Score"/>); for a digit model, the digit.</summary>
    public int PredictedDigit => ArgMax(Score);

    /// <summary>The name of the most probable class when the prediction came through <see cref="DigitPredictionEnginePool"/>, else null.</summary>
    [NoColumn]
    public string? Label { get; set; }

    /// <summary>The probability of <see cref="PredictedDigit"/>.</summary>
    public float Probability => Score.Length == 0 ? float.NaN : Score[PredictedDigit];

    /// <summary>Index of the largest value (the first one on ties); -1 for an empty span.</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = -1;
        for (int i = 0; i < values.Length; i++)
        {
            if (best < 0 || values[i] > values[best]) best = i;
        }
        return best;
    }
}
