using System.Net;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Server;

/// <summary>
/// A hundred reloads under load keep no generation and no native memory. glibc's count of native
/// heap bytes covers the whole test process, so this runs alone (<see cref="SoloCollection"/>):
/// a test training or scoring beside it would move the count by tens of MiB.
/// </summary>
[Collection(SoloCollection.Name)]
public sealed class ServeReloadMemoryTests
{
    /// <summary>Every generation but the last released and its model disposed (in a frame of its own, so that no temporary outlives it).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void AssertOnlyTheLastIsLive(List<MlNetMnist.Server.ServedModel> generations)
    {
        for (int i = 0; i < generations.Count - 1; i++)
            Assert.True(generations[i].IsReleased && generations[i].Model.IsDisposed, $"generation {i + 7} is still live");
        Assert.False(generations[^1].Model.IsDisposed);
    }

    /// <summary>glibc's count of native heap bytes in use, after the finalizers that free native memory have run.</summary>
    private static long NativeBytesInUse()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return MlNetMnist.ModelDefinition.Training.NativeHeap.InUseBytes() ?? throw new InvalidOperationException("the native heap is measured only with glibc");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task AHundredReloadsUnderLoadLeakNoGenerationAndNoNativeMemory()
    {
        await using var server = await RunningServer.StartAsync(o => o with { MaxBatch = 8 });
        var pixels = RunningServer.TestPixels(0);
        using var stop = new CancellationTokenSource();
        int answered = 0, failed = 0;
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await server.PostJsonAsync("/predict", new { pixels });
                if (response.StatusCode == HttpStatusCode.OK) Interlocked.Increment(ref answered);
                else Interlocked.Increment(ref failed);
            }
        })).ToArray();
        for (int i = 0; i < 5; i++) server.Server.Holder.Reload(); // warm-up: thread pools and allocator settle
        long nativeBefore = NativeBytesInUse();

        var generations = new List<MlNetMnist.Server.ServedModel>();
        for (int i = 0; i < 100; i++)
        {
            server.Server.Holder.Reload();
            generations.Add(server.Server.Holder.Current);
        }
        stop.Cancel();
        await Task.WhenAll(load);

        Assert.Equal(0, failed);
        Assert.True(answered > 0);
        Assert.Equal(1, server.Server.Holder.LiveGenerations);
        Assert.Equal(106, server.Server.Holder.Current.Description.Generation);
        // Every replaced generation was disposed (its sessions released at once, not left to the
        // garbage collector's finalizers), the current one not.
        AssertOnlyTheLastIsLive(generations);
        // Nor does the server keep the generations' native memory reachable (a reference held
        // anywhere would keep ≈ 2 MiB a generation alive through the collections, as this test's own
        // list does until it is cleared).
        generations.Clear();
        long nativeAfter = NativeBytesInUse();
        Assert.True(nativeAfter - nativeBefore < 32L << 20, $"native heap in use: {nativeBefore >> 20} → {nativeAfter >> 20} MiB over 100 reloads");
    }
}
