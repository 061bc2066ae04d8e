using Microsoft.ML.Data;
using MlNetMnist.Data;

namespace MlNetMnist.Pipelines;

/// <summary>The model's answer for one image.</summary>
public sealed class DigitPrediction
{
    /// <summary>The probability of each digit 0–9, in order; they sum to 1.</summary>
    [ColumnName(ScoringPipeline.ScoreColumn)]
    [VectorType(MnistCatalog.ClassCount)]
    public float[] Score { get; set; } = [];

    /// <summary>The most probable digit, 0–9 (the index of the largest <see cref="Score"/>).</summary>
    public int PredictedDigit => ArgMax(Score);

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
