using MlNetMnist.Pipelines;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Pipelines;

/// <summary>The engine pool under load: many threads, many predictions, no drift and no leak.</summary>
[Collection(TorchSharpCollection.Name)]
public sealed class PredictionConcurrencyTests
{
    [Fact]
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

    [Fact]
    public void MemoryAfter200000PredictionsIsWithinTenPercentOfMemoryAfter20000()
    {
        var pool = MnistModel.FromOnnx(TrainedModel.OnnxPath).CreatePool();
        var images = RealMnist.DataSet.Test.Slice(0, 100);
        var inputs = Enumerable.Range(0, images.Count).Select(i => DigitInput.FromBytes(images.Image(i))).ToArray();
        long afterTwentyThousand = 0;
        for (int n = 1; n <= 200_000; n++)
        {
            pool.Predict(inputs[n % inputs.Length]);
            if (n == 20_000) afterTwentyThousand = SettledWorkingSet();
        }
        long afterTwoHundredThousand = SettledWorkingSet();

        Assert.True(afterTwoHundredThousand <= afterTwentyThousand * 1.10,
            $"working set grew from {afterTwentyThousand / 1048576.0:F1} MiB to {afterTwoHundredThousand / 1048576.0:F1} MiB");
    }

    private static long SettledWorkingSet()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Environment.WorkingSet;
    }
}
