using Microsoft.ML;
using MlNetMnist.Pipelines;
using MlNetMnist.Pipelines.Evaluation;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Pipelines;

public sealed class MnistEvaluatorTests
{
    private static float[] OneHot(int digit, float p)
    {
        var scores = Enumerable.Repeat((1 - p) / 9, 10).ToArray();
        scores[digit] = p;
        return scores;
    }

    private static float[] Scores(params (int Digit, float P)[] given)
    {
        float rest = (1 - given.Sum(g => g.P)) / (10 - given.Length);
        var scores = Enumerable.Repeat(rest, 10).ToArray();
        foreach (var (digit, p) in given) scores[digit] = p;
        return scores;
    }

    [Fact]
    public void MetricsAgreeWithAHandCountOnASetWhoseAnswerIsKnown()
    {
        // 20 images, two of each digit. Wrong: one 4 called 9, one 7 called 1, one 9 called 4.
        var labels = Enumerable.Range(0, 20).Select(i => i / 2).ToArray();
        var scores = labels.Select(l => OneHot(l, 0.9f)).ToArray();
        scores[8] = Scores((9, 0.6f), (4, 0.3f));    // a 4, true digit second
        scores[14] = Scores((1, 0.7f), (7, 0.2f));   // a 7, true digit second
        scores[19] = Scores((4, 0.5f), (3, 0.3f), (9, 0.02f)); // a 9, true digit far down

        var result = MnistEvaluator.Evaluate(new MLContext(), labels, scores);

        Assert.Equal(20, result.Count);
        Assert.Equal(17, result.Correct);
        Assert.Equal(0.85, result.Accuracy, 10);
        Assert.Equal((7 * 1.0 + 3 * 0.5) / 10, result.MacroAccuracy, 10); // recalls: 4, 7, 9 are 1/2
        double expectedLogLoss = -(17 * Math.Log(0.9) + Math.Log(0.3) + Math.Log(0.2) + Math.Log(0.02)) / 20;
        Assert.Equal(expectedLogLoss, result.LogLoss, 5);
        Assert.Equal(1, result.ConfusionMatrix[4][9]);
        Assert.Equal(1, result.ConfusionMatrix[7][1]);
        Assert.Equal(1, result.ConfusionMatrix[9][4]);
        Assert.Equal(0.5, result.PerClass[4].Recall, 10);
        Assert.Equal(0.5, result.PerClass[4].Precision, 10);  // predicted 4 twice: once right
        Assert.Equal(2.0 / 3, result.PerClass[1].Precision, 10); // predicted 1 three times: twice right
        Assert.Equal(1.0, result.PerClass[1].Recall, 10);
        Assert.Equal(0.8, result.PerClass[1].F1, 10);
        Assert.Equal(new[] { 19, 14, 8 }.Order(), result.Misclassified.Select(m => m.Index).Order());
        Assert.Equal(14, result.Misclassified[0].Index); // the most confident mistake (0.7) first
        Assert.Equal(3, result.TopConfusions.Count);
        Assert.Equal(0.95, result.Top2Accuracy, 10);  // all but the 9 have the true digit first or second
    }

    public sealed class OnRealImages
    {
        [Fact]
        public void TheConfusionMatrixSumsToTheImagesAndItsDiagonalToTheCorrectOnes()
        {
            var model = MnistModel.FromOnnx(TrainedModel.OnnxPath);
            var split = RealMnist.DataSet.Test.Slice(0, 1_000);
            var reports = new List<int>();

            var result = MnistEvaluator.Evaluate(model, split, new SynchronousProgress<int>(reports.Add));

            Assert.Equal(1_000, result.ConfusionMatrix.Sum(row => row.Sum()));
            int correct = Enumerable.Range(0, 10).Sum(d => result.ConfusionMatrix[d][d]);
            Assert.Equal(correct, result.Correct);
            Assert.Equal(correct / 1000.0, result.Accuracy, 10);
            Assert.Equal(1_000 - correct, result.Misclassified.Count);
            Assert.All(result.Misclassified, m => Assert.Equal(split.Labels[m.Index], m.Actual));
            Assert.Equal(Enumerable.Range(0, 10).Select(d => split.Labels.Count(l => l == d)), result.PerClass.Select(c => c.Support));
            Assert.True(result.Accuracy > 0.9, $"accuracy {result.Accuracy:P2}");
            Assert.Equal(1_000, reports[^1]);
        }
    }
}
