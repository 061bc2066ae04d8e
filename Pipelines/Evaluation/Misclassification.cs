namespace MlNetMnist.Pipelines.Evaluation;

/// <summary>One image the model got wrong.</summary>
/// <param name="Index">The image's position in the evaluated set (for the test set, its index in the MNIST test files).</param>
/// <param name="Actual">The true digit.</param>
/// <param name="Predicted">The digit the model chose.</param>
/// <param name="Probabilities">The model's probability for each digit 0–9.</param>
public sealed record Misclassification(int Index, int Actual, int Predicted, float[] Probabilities)
{
    /// <summary>The probability the model gave its (wrong) choice.</summary>
    public float Confidence => Probabilities[Predicted];

    /// <summary>The probability the model gave the true digit.</summary>
    public float ActualProbability => Probabilities[Actual];
}
