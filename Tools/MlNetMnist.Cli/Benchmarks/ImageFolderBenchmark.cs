using System.Diagnostics;
using MlNetMnist.Data;

namespace MlNetMnist.Cli.Benchmarks;

/// <summary>
/// How long an image folder takes to load: MNIST written as PNG files (<c>train/0…9</c>,
/// <c>test/0…9</c>; 70,000 files, or fewer in the quick mode), loaded once with an empty cache
/// (every file decoded) and once more from the cache. Targets: ≤ 20 s and ≤ 2 s for 70,000 files on 2 cores.
/// </summary>
public static class ImageFolderBenchmark
{
    /// <summary>What was measured.</summary>
    /// <param name="Files">PNG files loaded.</param>
    /// <param name="WriteSeconds">Writing them (not part of the load).</param>
    /// <param name="FirstLoadSeconds">The first load: scanning, checking and decoding every file, writing the cache.</param>
    /// <param name="CachedLoadSeconds">The second load: scanning, then reading the cache.</param>
    /// <param name="SecondLoadFromCache">True when the second load reported that it read the cache.</param>
    public sealed record Result(int Files, double WriteSeconds, double FirstLoadSeconds, double CachedLoadSeconds, bool SecondLoadFromCache);

    /// <summary>Writes the first <paramref name="trainCount"/> training and <paramref name="testCount"/> test images of <paramref name="mnist"/> as PNG folders, loads them twice, deletes them.</summary>
    public static Result Measure(ImageDataSet mnist, int trainCount, int testCount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mnist);
        var root = Path.Combine(Path.GetTempPath(), $"mlnetmnist-bench-folders-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var folder = Path.Combine(root, "mnist-png");
        try
        {
            var clock = Stopwatch.StartNew();
            var names = mnist.Description.ClassNames;
            trainCount = Math.Min(trainCount, mnist.Train.Count);
            testCount = Math.Min(testCount, mnist.Test.Count);
            ImageFolderWriter.Write(mnist.Train.Slice(0, trainCount), names, Path.Combine(folder, "train"), "train", cancellationToken);
            ImageFolderWriter.Write(mnist.Test.Slice(0, testCount), names, Path.Combine(folder, "test"), "test", cancellationToken);
            double write = clock.Elapsed.TotalSeconds;

            var options = new DataSetOptions { CacheDirectory = Path.Combine(root, "cache") };
            clock.Restart();
            var first = ImageFolderDataSet.Load(folder, options, null, cancellationToken);
            double firstLoad = clock.Elapsed.TotalSeconds;
            if (first.Train.Count + first.Test.Count != trainCount + testCount)
                throw new InvalidOperationException($"The image folder loaded {first.Train.Count + first.Test.Count:N0} images of {trainCount + testCount:N0}.");

            bool fromCache = false;
            clock.Restart();
            ImageFolderDataSet.Load(folder, options, new InlineProgress(p => fromCache |= p.FromCache), cancellationToken);
            double cachedLoad = clock.Elapsed.TotalSeconds;
            return new Result(trainCount + testCount, write, firstLoad, cachedLoad, fromCache);
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    private sealed class InlineProgress(Action<DecodeProgress> report) : IProgress<DecodeProgress>
    {
        public void Report(DecodeProgress value) => report(value);
    }
}
