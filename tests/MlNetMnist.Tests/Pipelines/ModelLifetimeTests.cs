using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using MlNetMnist.Data;
using MlNetMnist.Pipelines;
using MlNetMnist.Tests.Support;

namespace MlNetMnist.Tests.Pipelines;

/// <summary>
/// What a model holds and gives back: one ONNX Runtime session, created only to score (metadata
/// comes from the protobuf), released when the model is disposed, not when the garbage collector
/// gets to it.
/// </summary>
[Collection(TorchSharpCollection.Name)]
public sealed class ModelLifetimeTests
{
    /// <summary>Native plus managed bytes a load/dispose cycle may keep; one leaked session is hundreds of kilobytes.</summary>
    private const double BoundBytesPerCycle = 2048;

    /// <summary>The trained network with one more node of an operator no ONNX Runtime has: valid protobuf, metadata intact, no session possible.</summary>
    private static byte[] WithUnknownOperator()
    {
        var model = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(TrainedModel.OnnxPath));
        model.OpsetImport.Add(new global::Onnx.OperatorSetIdProto { Domain = "org.example.none", Version = 1 });
        model.Graph.Node.Add(new global::Onnx.NodeProto { OpType = "NoSuchOperator", Domain = "org.example.none", Name = "unknown", Input = { OnnxContract.Input }, Output = { "unknown_output" } });
        return model.ToByteArray();
    }

    [Fact]
    public void MetadataIsReadFromTheProtobufWithoutAnOnnxRuntimeSession()
    {
        using var dir = new TempDirectory();
        var bytes = WithUnknownOperator();
        File.WriteAllBytes(dir.File("model.onnx"), bytes);
        var runtime = Assert.ThrowsAny<OnnxRuntimeException>(() => new InferenceSession(bytes).Dispose()); // a session cannot be made…

        var metadata = MnistModelMetadata.Read(dir.File("model.onnx")); // …yet the metadata reads

        Assert.Contains("NoSuchOperator", runtime.Message);
        Assert.Equal(MnistModelMetadata.Read(TrainedModel.OnnxPath).Properties, metadata.Properties);
        Assert.Equal(MnistCatalog.ClassNames, metadata.Labels);
        Assert.Equal(MnistCatalog.Shape, metadata.Shape);
        Assert.Equal("MlNetMnist", metadata.ProducerName);
        // Building the pipeline needs the session: that is where the failure shows, as a clear error.
        var e = Assert.Throws<ModelFormatException>(() => MnistModel.FromOnnx(dir.File("model.onnx")));
        Assert.Contains("ONNX Runtime cannot load it", e.Message);
    }

    [Fact]
    public void ADisposedModelAndPoolRefuseFurtherUseAndDisposingTwiceIsHarmless()
    {
        using var dir = new TempDirectory();
        using (var built = MnistModel.FromOnnx(TrainedModel.OnnxPath)) built.Save(dir.File("model.zip"));
        var model = MnistModel.Load(dir.File("model.zip"));
        var pool = model.CreatePool();
        var input = DigitInput.FromBytes(RealMnist.DataSet.Test.Image(0));
        Assert.Equal(RealMnist.DataSet.Test.Labels[0], pool.Predict(input).PredictedDigit);

        pool.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pool.Predict(input));
        using (var second = model.CreatePool()) Assert.Equal(RealMnist.DataSet.Test.Labels[0], second.Predict(input).PredictedDigit); // the model outlives its pools
        var third = model.CreatePool();
        model.Dispose();
        model.Dispose();
        pool.Dispose();

        Assert.True(model.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => third.Predict(input)); // never a call into a released session
        Assert.Throws<ObjectDisposedException>(() => model.CreatePredictionEngine());
        Assert.Throws<ObjectDisposedException>(() => model.CreatePool());
        Assert.Throws<ObjectDisposedException>(() => model.Save(dir.File("again.zip")));
        third.Dispose();
    }

    [Fact]
    public void AThousandLoadDisposeCyclesKeepNativeMemoryFileDescriptorsAndTemporaryFilesFlat()
    {
        using var dir = new TempDirectory();
        using (var built = MnistModel.FromOnnx(TrainedModel.OnnxPath)) built.Save(dir.File("model.zip"));

        var disposed = Cycles(dir, cycles: 1_000, leakEvery: 0);
        // The same measurement with a deliberate leak: one model in 25 kept and never disposed.
        var leaking = Cycles(dir, cycles: 300, leakEvery: 25);

        Assert.True(disposed.BytesPerCycle < BoundBytesPerCycle, $"load/dispose keeps memory: {disposed}");
        Assert.True(disposed.FileDescriptors <= 0, $"load/dispose keeps files open: {disposed}");
        Assert.True(disposed.TemporaryFiles <= 0, $"load/dispose leaves ML.NET's copies of the network: {disposed}");
        Assert.True(leaking.BytesPerCycle > BoundBytesPerCycle, $"the bound does not see a leak of one model in 25: {leaking}");
        Assert.Equal(300 / 25, leaking.FileDescriptors); // each leaked model keeps ML.NET's temporary copy open
        Assert.Equal(300 / 25, leaking.TemporaryFiles);
    }

    /// <summary>Runs <see cref="LoadCycles"/> in a child process with its own temporary folder, JIT tiering off so compiling does not count as growth.</summary>
    private static LoadCycleGrowth Cycles(TempDirectory dir, int cycles, int leakEvery)
    {
        var temp = Directory.CreateDirectory(dir.File($"tmp-{cycles}-{leakEvery}")).FullName;
        var line = Program.RunChild(
            new Dictionary<string, string> { ["TMPDIR"] = temp, ["DOTNET_TieredCompilation"] = "0", ["DOTNET_TieredPGO"] = "0" },
            "load-cycles", dir.File("model.zip"), cycles.ToString(), leakEvery.ToString());
        return JsonSerializer.Deserialize<LoadCycleGrowth>(line) ?? throw new InvalidOperationException(line);
    }

    /// <summary>
    /// In the child: <paramref name="cycles"/> times load the zip, predict one image through a pool,
    /// dispose both (keeping every <paramref name="leakEvery"/>-th model undisposed and referenced
    /// when above zero), after 50 warm-up cycles; what the cycles added once every finalizer ran.
    /// </summary>
    public static LoadCycleGrowth LoadCycles(string zip, int cycles, int leakEvery)
    {
        var input = new DigitInput { Pixels = Enumerable.Range(0, 784).Select(i => (float)(i * 7 % 256)).ToArray() };
        var leaked = new List<MnistModel>();
        void Cycle(int i, bool mayLeak)
        {
            var model = MnistModel.Load(zip);
            using (var pool = model.CreatePool()) pool.Predict(input);
            if (mayLeak && leakEvery > 0 && i % leakEvery == 0) leaked.Add(model);
            else model.Dispose();
        }
        for (int i = 0; i < 50; i++) Cycle(i, mayLeak: false);
        var before = Snapshot.Take();
        for (int i = 1; i <= cycles; i++) Cycle(i, mayLeak: true);
        var after = Snapshot.Take();
        GC.KeepAlive(leaked);
        return new LoadCycleGrowth(cycles, after.Native - before.Native, after.Managed - before.Managed,
            after.FileDescriptors - before.FileDescriptors, after.TemporaryFiles - before.TemporaryFiles);
    }

    private sealed record Snapshot(long Native, long Managed, int FileDescriptors, int TemporaryFiles)
    {
        public static Snapshot Take()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers(); // what finalizers release does not count: only what is still held
            GC.Collect();
            return new Snapshot(NativeMemory.HeapInUseBytes(), GC.GetTotalMemory(forceFullCollection: true),
                NativeMemory.OpenFileDescriptors(), Directory.GetFiles(Path.GetTempPath()).Length);
        }
    }
}

/// <summary>What a run of load/dispose cycles added: native and managed bytes, open files, files in the temporary folder.</summary>
public sealed record LoadCycleGrowth(int Cycles, long NativeBytes, long ManagedBytes, int FileDescriptors, int TemporaryFiles)
{
    /// <summary>Native plus managed growth (only growth counts) per cycle.</summary>
    public double BytesPerCycle => (double)(Math.Max(NativeBytes, 0) + Math.Max(ManagedBytes, 0)) / Cycles;

    public override string ToString()
        => $"{BytesPerCycle:N0} bytes per cycle over {Cycles:N0} cycles (native {NativeBytes:+#,0;-#,0;0}, managed {ManagedBytes:+#,0;-#,0;0}), file descriptors {FileDescriptors:+0;-0;0}, temporary files {TemporaryFiles:+0;-0;0}";
}
