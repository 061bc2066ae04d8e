using MlNetMnist.Pipelines;
using MlNetMnist.Server;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Server;

/// <summary>One served generation scores several batches at once (one per core), each on its own engines over the shared block sessions.</summary>
public sealed class ServedModelTests
{
    [Fact]
    public async Task BatchesScoredAtOnceOnEveryCoreGiveEachImageItsOwnAnswer()
    {
        var model = ServedModel.Load(RunningServer.ModelZipPath, maxBatch: 64, threads: null, generation: 1);
        try
        {
            var images = Enumerable.Range(0, 40).Select(RunningServer.TestPixels).ToArray();
            var expected = model.ScoreBatch(images);
            using var offline = MnistModel.Open(RunningServer.ModelZipPath);
            using var engine = offline.CreatePredictionEngine();
            for (int i = 0; i < images.Length; i++)
                Assert.Equal(engine.Predict(new DigitInput { Pixels = images[i] }).Score, expected[i], (a, b) => Math.Abs(a - b) < 1e-5f);

            // Callers at once, each with its own slice (sizes 1 to 40, so every block size is used).
            using var start = new Barrier(2 * ServedModel.ConcurrentBatches);
            var callers = Enumerable.Range(0, 2 * ServedModel.ConcurrentBatches).Select(caller => Task.Run(() =>
            {
                start.SignalAndWait();
                for (int round = 0; round < 30; round++)
                {
                    int first = (caller * 7 + round) % images.Length, count = 1 + (caller * 13 + round * 5) % (images.Length - first);
                    var scores = model.ScoreBatch(images[first..(first + count)]);
                    for (int k = 0; k < count; k++)
                        Assert.True(scores[k].Zip(expected[first + k]).All(p => Math.Abs(p.First - p.Second) < 1e-5f), $"caller {caller}, round {round}: image {first + k} got another image's scores");
                }
            })).ToArray();
            await Task.WhenAll(callers);
            Assert.Equal(ServedModel.ConcurrentBatches, model.PeakConcurrentBatches); // they did overlap, and never beyond one per core
        }
        finally
        {
            model.Release();
        }
        Assert.True(model.IsReleased);
    }
}
