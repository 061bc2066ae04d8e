using System.IO.Compression;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetMnist.Data;
using MlNetMnist.Pipelines;
using MlNetMnist.Tests.Support;
using OnnxProto = global::Onnx;

namespace MlNetMnist.Tests.Pipelines;

/// <summary>
/// Where the network lives in a model.zip (our own entry, not ML.NET's private layout), and how a
/// model file's kind is told: by its content, never by its name.
/// </summary>
[Collection(TorchSharpCollection.Name)]
public sealed class ModelZipTests
{
    private static readonly ImageSplit Images = RealMnist.DataSet.Test.Slice(0, 50);

    private static float[][] Scores(MnistModel model)
        => new MLContext().Data.CreateEnumerable<DigitPrediction>(model.Score(new ImageSplitDataView(Images)), reuseRowObject: false).Select(p => p.Score).ToArray();

    /// <summary>A tiny ONNX model of our own: <c>PixelSum [N, 1] = ReduceSum(Pixels [N, 784])</c>.</summary>
    private static byte[] PixelSumModel()
    {
        static OnnxProto.ValueInfoProto Float(string name, params object[] dims)
        {
            var shape = new OnnxProto.TensorShapeProto();
            foreach (var dim in dims)
                shape.Dim.Add(dim is string p ? new OnnxProto.TensorShapeProto.Types.Dimension { DimParam = p } : new OnnxProto.TensorShapeProto.Types.Dimension { DimValue = (int)dim });
            return new OnnxProto.ValueInfoProto { Name = name, Type = new OnnxProto.TypeProto { TensorType = new OnnxProto.TypeProto.Types.Tensor { ElemType = (int)OnnxProto.TensorProto.Types.DataType.Float, Shape = shape } } };
        }
        var axes = new OnnxProto.TensorProto { Name = "axes", DataType = (int)OnnxProto.TensorProto.Types.DataType.Int64, Dims = { 1 }, Int64Data = { 1 } };
        var graph = new OnnxProto.GraphProto { Name = "pixel_sum", Input = { Float("Pixels", "N", 784) }, Output = { Float("PixelSum", "N", 1) }, Initializer = { axes } };
        graph.Node.Add(new OnnxProto.NodeProto { OpType = "ReduceSum", Name = "sum", Input = { "Pixels", "axes" }, Output = { "PixelSum" } });
        return new OnnxProto.ModelProto { IrVersion = 8, ProducerName = "test", Graph = graph, OpsetImport = { new OnnxProto.OperatorSetIdProto { Version = 17 } } }.ToByteArray();
    }

    private static byte[] EntryBytes(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    [Fact]
    public void AZipWhosePipelineHoldsTwoOnnxTransformsYieldsOurNetworkFromOurEntry()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("sum.onnx"), PixelSumModel());
        var network = File.ReadAllBytes(TrainedModel.OnnxPath);
        var metadata = MnistModelMetadata.Read(TrainedModel.OnnxPath);
        var context = new MLContext();
        var empty = context.Data.LoadFromEnumerable(Array.Empty<DigitInput>(), MnistModel.InputSchemaDefinition(metadata));
        // Another ONNX transform first, then the scoring pipeline (the network and its class-name graph): the zip holds three ONNX models.
        var chain = context.Transforms.ApplyOnnxModel(["PixelSum"], ["Pixels"], dir.File("sum.onnx"))
            .Append(ScoringPipeline.Create(context, TrainedModel.OnnxPath, metadata))
            .Fit(empty);
        context.Model.Save(chain, empty.Schema, dir.File("model.zip"));
        (chain as IDisposable)?.Dispose();
        using (var zip = ZipFile.Open(dir.File("model.zip"), ZipArchiveMode.Update))
        {
            var onnxEntries = zip.Entries.Where(e => e.FullName.EndsWith("/OnnxModel", StringComparison.Ordinal)).ToList();
            Assert.Equal(3, onnxEntries.Count);
            // The first of ML.NET's ONNX entries is not the network: a guess at ML.NET's layout picks the wrong one.
            Assert.False(EntryBytes(onnxEntries[0]).AsSpan().EndsWith(network));
            zip.CreateEntryFromFile(TrainedModel.OnnxPath, MnistModel.OnnxEntryName); // what MnistModel.Save adds
        }

        using var loaded = MnistModel.Load(dir.File("model.zip"));
        using var direct = MnistModel.FromOnnx(TrainedModel.OnnxPath);

        Assert.Equal(network, loaded.OnnxModel);
        Assert.Equal(metadata.Properties, loaded.Metadata.Properties);
        Assert.Equal(Scores(direct), Scores(loaded));
        var sums = loaded.Score(new ImageSplitDataView(Images)).GetColumn<float[]>("PixelSum").ToList();
        Assert.Equal(Images.Image(0).ToArray().Sum(b => (double)b), sums[0][0], 1.0); // and the other ONNX transform ran too
    }

    [Fact]
    public void SaveAddsTheNetworkAsItsOwnEntryAndPlainMlNetStillLoadsAndScoresTheZip()
    {
        using var dir = new TempDirectory();
        using (var built = MnistModel.FromOnnx(TrainedModel.OnnxPath)) built.Save(dir.File("model.zip"));

        using (var zip = ZipFile.OpenRead(dir.File("model.zip")))
            Assert.Equal(File.ReadAllBytes(TrainedModel.OnnxPath), EntryBytes(zip.GetEntry(MnistModel.OnnxEntryName)!));
        // An app with only ML.NET: the extra entry is ignored.
        var context = new MLContext();
        var transformer = context.Model.Load(dir.File("model.zip"), out var schema);
        Assert.Equal(784, ((VectorDataViewType)schema["Pixels"].Type).Size);
        var metadata = MnistModelMetadata.Read(dir.File("model.zip"));
        using var engine = context.Model.CreatePredictionEngine<DigitInput, DigitPrediction>(transformer, new PredictionEngineOptions
        {
            InputSchemaDefinition = MnistModel.InputSchemaDefinition(metadata),
            OutputSchemaDefinition = MnistModel.OutputSchemaDefinition(metadata),
        });
        using var loaded = MnistModel.Load(dir.File("model.zip"));
        using var pool = loaded.CreatePool();
        var input = DigitInput.FromBytes(Images.Image(3));
        Assert.Equal(pool.Predict(input).Score, engine.Predict(input).Score);
        Assert.Equal(Images.Labels[3], engine.Predict(input).PredictedDigit);
    }

    [Fact]
    public void AZipSavedByPlainMlNetWithoutOurEntryIsAClearError()
    {
        using var dir = new TempDirectory();
        using (var built = MnistModel.FromOnnx(TrainedModel.OnnxPath))
            built.Context.Model.Save(built.Transformer, built.InputSchema, dir.File("model.zip"));

        var e = Assert.Throws<ModelFormatException>(() => MnistModel.Load(dir.File("model.zip")));
        var metadata = Assert.Throws<ModelFormatException>(() => MnistModelMetadata.Read(dir.File("model.zip")));

        Assert.Contains($"holds no '{MnistModel.OnnxEntryName}' entry", e.Message);
        Assert.Equal(e.Message, metadata.Message);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void AModelFilesKindIsItsContentNotItsName()
    {
        using var dir = new TempDirectory();
        using (var built = MnistModel.FromOnnx(TrainedModel.OnnxPath)) built.Save(dir.File("real.zip"));
        var onnxNamedZip = dir.File("network.zip");
        var zipNamedOnnx = dir.File("pipeline.onnx");
        var noExtension = dir.File("model");
        File.Copy(TrainedModel.OnnxPath, onnxNamedZip);
        File.Copy(dir.File("real.zip"), zipNamedOnnx);
        File.Copy(dir.File("real.zip"), noExtension);

        Assert.Equal(ModelFileKind.Onnx, ModelFile.Detect(onnxNamedZip));
        Assert.Equal(ModelFileKind.ModelZip, ModelFile.Detect(zipNamedOnnx));
        Assert.Equal(ModelFileKind.ModelZip, ModelFile.Detect(noExtension));
        using var reference = MnistModel.FromOnnx(TrainedModel.OnnxPath);
        foreach (var path in new[] { onnxNamedZip, zipNamedOnnx, noExtension })
        {
            using var model = MnistModel.Open(path);
            Assert.Equal(Scores(reference), Scores(model));
            Assert.Equal(reference.Metadata.Properties, MnistModelMetadata.Read(path).Properties);
        }

        // mnist info asks the same question in the same place: the ML.NET input schema is shown for a zip only.
        foreach (var (path, isZip) in new[] { (onnxNamedZip, false), (zipNamedOnnx, true) })
        {
            var info = CliProcess.Run(["info", "--model", path, "--json"]);
            Assert.True(info.ExitCode == 0, info.ToString());
            using var json = JsonDocument.Parse(info.StandardOutput);
            Assert.Equal(isZip, json.RootElement.GetProperty("inputSchema").ValueKind == JsonValueKind.String);
            Assert.Equal("MlNetMnist", json.RootElement.GetProperty("producer").GetString());
        }
    }
}
