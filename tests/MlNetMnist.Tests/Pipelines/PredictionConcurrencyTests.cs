using MlNetMnist.Pipelines;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Pipelines;

/// <summary>The engine pool under load: many threads, many predictions, no drift (leaks: <see cref="PredictionMemoryTests"/>).</summary>
public sealed class PredictionConcurrencyTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public void EightThreadsTimesTenThousandPredictionsEqualTheSequentialResults()
    {
        var model = MnistModel.FromOnnx(TrainedModel.OnnxPath);
        var images = RealMnist.DataSet.Test.Slice(0, 500);
        var inputs = Enumerable.Range(0, images.Count).Select(i => DigitInput.FromBytes(images.Image(i))).ToArray();
        using var engine = model.CreatePredictionEngine();
        var expected = inputs.Select(i => engine.Predict(i).Score).ToArray();
        var pool = model.CreatePool();
        int mismatches = 0;

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            for (int n = 0; n < 10_000; n++)
            {
                int i = (thread * 7919 + n) % inputs.Length;
                if (!pool.Predict(inputs[i]).Score.AsSpan().SequenceEqual(expected[i]))
                    Interlocked.Increment(ref mismatches);
            }
        });

        Assert.Equal(0, mismatches);
    }
}
