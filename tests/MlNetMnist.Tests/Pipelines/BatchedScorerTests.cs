using MlNetMnist.Data;
using MlNetMnist.Pipelines;
using MlNetMnist.Pipelines.Batching;
using MlNetMnist.Pipelines.Evaluation;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Pipelines;

public sealed class BatchedScorerTests
{
    [Fact]
    public void BlocksOfImagesScoreTheWholeTestSetLikeTheOneImagePerRowPipeline()
    {
        var model = MnistModel.FromOnnx(TrainedModel.OnnxPath);
        var test = RealMnist.DataSet.Test;
        var perRow = MnistEvaluator.ScoreAll(model, new ImageSplitDataView(test), test.Count, null, CancellationToken.None);
        using var scorer = new BatchedScorer(model, blockSize: 256);

        var blocks = scorer.ScoreAll(test); // 10,000 = 39 full blocks + 16 images: the last block is padded

        Assert.Equal(test.Count, blocks.Count);
        double maxDiff = 0;
        for (int i = 0; i < test.Count; i++)
        {
            Assert.Equal(DigitPrediction.ArgMax(perRow[i]), DigitPrediction.ArgMax(blocks[i]));
            for (int k = 0; k < 10; k++) maxDiff = Math.Max(maxDiff, Math.Abs(perRow[i][k] - blocks[i][k]));
        }
        Assert.True(maxDiff <= 1e-5, $"max |per-row − block| = {maxDiff:E2}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void AnyBlockSizeGivesOneScoreVectorPerImageInOrder(int blockSize)
    {
        var model = MnistModel.FromOnnx(TrainedModel.OnnxPath);
        var images = RealMnist.DataSet.Test.Slice(0, 20);
        using var scorer = new BatchedScorer(model, blockSize);
        using var engine = model.CreatePredictionEngine();

        var scores = scorer.ScoreAll(images);

        Assert.Equal(20, scores.Count);
        for (int i = 0; i < 20; i++)
        {
            var expected = engine.Predict(DigitInput.FromBytes(images.Image(i))).Score;
            for (int k = 0; k < 10; k++) Assert.Equal(expected[k], scores[i][k], 5);
        }
    }

    [Fact]
    public void AModelLoadedFromItsZipScoresInBlocksToo()
    {
        using var dir = new TempDirectory();
        MnistModel.FromOnnx(TrainedModel.OnnxPath).Save(dir.File("model.zip"));
        var loaded = MnistModel.Load(dir.File("model.zip"));
        Assert.Equal(File.ReadAllBytes(TrainedModel.OnnxPath), loaded.OnnxModel);
        using var scorer = new BatchedScorer(loaded, 64);
        Assert.Equal(100, scorer.ScoreAll(RealMnist.DataSet.Test.Slice(0, 100)).Count);
    }
}
