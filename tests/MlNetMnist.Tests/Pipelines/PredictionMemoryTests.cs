using System.Runtime.InteropServices;
using System.Text.Json;
using MlNetMnist.Pipelines;
using MlNetMnist.Tests.Support;
using Xunit.Abstractions;

namespace MlNetMnist.Tests.Pipelines;

/// <summary>
/// Predictions through the engine pool hold on to nothing: measured in a process of their own,
/// with a bound that a leak of 100 bytes per prediction breaks, as the leaking doubles show.
/// </summary>
public sealed class PredictionMemoryTests(ITestOutputHelper log)
{
    private const int WarmUp = 20_000;
    private const int Windows = 7;
    private const int CallsPerWindow = 15_000;

    /// <summary>Bytes a prediction may seem to keep: a quarter of the leak the doubles simulate, far above what the allocator's bookkeeping moves.</summary>
    private const double BoundBytesPerCall = 25;

    /// <summary>What the measured call does besides predicting.</summary>
    public enum Leak { None, ManagedHundredBytes, NativeHundredBytes }

    [Theory]
    [InlineData(Leak.None)]
    [InlineData(Leak.ManagedHundredBytes)]
    [InlineData(Leak.NativeHundredBytes)]
    [Trait("Category", "Slow")]
    public void TheBoundHoldsForThePoolAndBreaksForALeakOfAHundredBytesAPrediction(Leak leak)
    {
        // Tiered compilation off: a method being recompiled in the background holds megabytes of
        // native buffers for a moment, which is the JIT's, not a leak; this way every method is
        // compiled once, at its first call, and the heap moves only with what the calls keep.
        var growth = Program.Read<LeakGrowth>(Program.RunChild(
            new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "0" }, "leak-probe", TrainedModel.OnnxPath, leak.ToString()));
        log.WriteLine($"{leak}: {growth}");

        if (leak == Leak.None)
        {
            Assert.True(growth.BytesPerCall < BoundBytesPerCall, $"predictions keep memory: {growth}");
            Assert.True(growth.FileDescriptors <= 4 && growth.Threads <= 4, $"predictions keep handles: {growth}");
        }
        else
            Assert.True(growth.BytesPerCall >= BoundBytesPerCall, $"a leak of 100 bytes per prediction stayed under the bound: {growth}");
    }

    /// <summary>The child process's side: predictions on 100 real test images through a pool over <paramref name="onnxPath"/>, measured.</summary>
    internal static LeakGrowth Probe(string onnxPath, Leak leak)
    {
        var pool = MnistModel.FromOnnx(onnxPath).CreatePool();
        var images = RealMnist.DataSet.Test.Slice(0, 100);
        var inputs = Enumerable.Range(0, images.Count).Select(i => DigitInput.FromBytes(images.Image(i))).ToArray();
        var predictor = new LeakingDouble(pool, leak, WarmUp + Windows * CallsPerWindow);
        return LeakProbe.Measure(n => predictor.Predict(inputs[n % inputs.Length]), WarmUp, Windows, CallsPerWindow);
    }

    /// <summary>The pool, leaking 100 bytes per prediction on purpose when told to (its lists are sized beforehand, so only the leak grows).</summary>
    private sealed class LeakingDouble(DigitPredictionEnginePool pool, Leak leak, int calls)
    {
        private readonly List<byte[]> _managed = new(leak == Leak.ManagedHundredBytes ? calls : 0);
        private readonly List<nint> _native = new(leak == Leak.NativeHundredBytes ? calls : 0);

        public DigitPrediction Predict(DigitInput input)
        {
            switch (leak)
            {
                case Leak.ManagedHundredBytes: _managed.Add(new byte[100 - 24]); break; // array header: 24 bytes
                case Leak.NativeHundredBytes: unsafe { _native.Add((nint)System.Runtime.InteropServices.NativeMemory.Alloc(100)); } break;
            }
            return pool.Predict(input);
        }
    }
}
