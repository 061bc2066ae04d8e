namespace MlNetMnist.Pipelines.Evaluation;

/// <summary>One cell off the diagonal of the confusion matrix: images of <paramref name="Actual"/> predicted as <paramref name="Predicted"/>.</summary>
/// <param name="Actual">The true digit.</param>
/// <param name="Predicted">The digit the model chose.</param>
/// <param name="Count">How many images.</param>
public sealed record Confusion(int Actual, int Predicted, int Count);
