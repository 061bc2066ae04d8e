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
    [Trait("Category", "Slow")]
    public void AThousandLoadDisposeCyclesKeepNativeMemoryFileDescriptorsAndTemporaryFilesFlat()
    {
        using var dir = new TempDirectory();
        using (var built = MnistModel.FromOnnx(TrainedModel.OnnxPath)) built.Save(dir.File("model.zip"));

        var disposed = Cycles(dir, cycles: 1_000, leakEvery: 0);
        // The same measurement with a deliberate leak: one model in 10 kept and never disposed.
        var leaking = Cycles(dir, cycles: 100, leakEvery: 10);

        Assert.True(disposed.Growth.BytesPerCall < BoundBytesPerCycle, $"load/dispose keeps memory: {disposed}");
        Assert.True(disposed.Growth.FileDescriptors <= 0, $"load/dispose keeps files open: {disposed}");
        Assert.True(disposed.TemporaryFiles <= 0, $"load/dispose leaves ML.NET's copies of the network: {disposed}");
        Assert.True(leaking.Growth.BytesPerCall > BoundBytesPerCycle, $"the bound does not see a leak of one model in 10: {leaking}");
        // Each leaked model keeps ML.NET's temporary copies of its two ONNX models (the network and the class-name graph) open.
        Assert.Equal(2 * 100 / 10, leaking.Growth.FileDescriptors);
        Assert.Equal(2 * 100 / 10, leaking.TemporaryFiles);
    }

    /// <summary>Runs <see cref="LoadCycles"/> in a child process with its own temporary folder, JIT tiering off so compiling does not count as growth.</summary>
    private static LoadCycleGrowth Cycles(TempDirectory dir, int cycles, int leakEvery)
    {
        var temp = Directory.CreateDirectory(dir.File($"tmp-{cycles}-{leakEvery}")).FullName;
        return Program.Read<LoadCycleGrowth>(Program.RunChild(
            new Dictionary<string, string> { ["TMPDIR"] = temp, ["DOTNET_TieredCompilation"] = "0" },
            "load-cycles", dir.File("model.zip"), cycles.ToString(), leakEvery.ToString()));
    }

    /// <summary>
    /// In the child: <paramref name="cycles"/> times (in 5 measured windows, after 50 warm-up
    /// cycles) load the zip, predict one image through a pool, dispose both, keeping every
    /// <paramref name="leakEvery"/>-th model undisposed and referenced when above zero.
    /// </summary>
    internal static LoadCycleGrowth LoadCycles(string zip, int cycles, int leakEvery)
    {
        const int warmUp = 50, windows = 5;
        var input = new DigitInput { Pixels = Enumerable.Range(0, 784).Select(i => (float)(i * 7 % 256)).ToArray() };
        var leaked = new List<MnistModel>(cycles);
        static int TemporaryFiles() => Directory.GetFileSystemEntries(Path.GetTempPath()).Length;
        int temporaryFiles = 0;
        var growth = LeakProbe.Measure(n =>
        {
            if (n == warmUp) temporaryFiles = TemporaryFiles(); // after the warm-up: ONNX Runtime writes its one .ses file per process then
            var model = MnistModel.Load(zip);
            using (var pool = model.CreatePool()) pool.Predict(input);
            if (leakEvery > 0 && n >= warmUp && n % leakEvery == 0) leaked.Add(model);
            else model.Dispose();
        }, warmUp, windows, cycles / windows);
        GC.KeepAlive(leaked);
        return new LoadCycleGrowth(growth, TemporaryFiles() - temporaryFiles);
    }
}

/// <summary>What load/dispose cycles kept (<see cref="LeakProbe"/>), and the files they added to the temporary folder.</summary>
public sealed record LoadCycleGrowth(LeakGrowth Growth, int TemporaryFiles)
{
    public override string ToString() => $"{Growth}; temporary files {TemporaryFiles:+0;-0;0}";
}
