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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FloatImagesScoreLikeTheSplitThroughTheReusedEngine(bool spinning)
    {
        using var model = MnistModel.FromOnnx(TrainedModel.OnnxPath);
        var split = RealMnist.DataSet.Test.Slice(0, 13);
        using var scorer = new BatchedScorer(model, blockSize: 4, threads: 1, spinning);
        var expected = scorer.ScoreAll(split);
        var images = Enumerable.Range(0, split.Count).Select(i => DigitInput.FromBytes(split.Image(i)).Pixels).ToList();

        var first = scorer.Score(images); // 13 = 3 blocks of 4 + one padded block
        var again = scorer.Score(images[..5]); // the engine is reused: a shorter call after a longer one

        Assert.Equal(split.Count, first.Count);
        for (int i = 0; i < split.Count; i++) Assert.Equal(expected[i], first[i], (a, b) => Math.Abs(a - b) <= 1e-6f);
        Assert.Equal(5, again.Count);
        for (int i = 0; i < 5; i++) Assert.Equal(expected[i], again[i], (a, b) => Math.Abs(a - b) <= 1e-6f);
        // Fractional values are used as they are, not rounded to bytes.
        var half = images[0].Select(p => Math.Min(255f, p + 0.5f)).ToArray();
        Assert.NotEqual(first[0], scorer.Score([half])[0]);
        Assert.Throws<ArgumentException>(() => scorer.Score([new float[783]]));
    }
}
