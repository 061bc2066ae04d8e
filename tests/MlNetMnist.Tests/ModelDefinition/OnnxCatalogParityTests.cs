using MlNetMnist.Tests.Support;
using MlNetMnist.ModelDefinition.Networks;
using MlNetMnist.ModelDefinition.Onnx;
using MlNetMnist.ModelDefinition.Training;
using static TorchSharp.torch;

namespace MlNetMnist.Tests.ModelDefinition;

/// <summary>The catalog's networks, with random weights and batch-norm statistics, export and match TorchSharp on real images.</summary>
[Collection(TorchSharpCollection.Name)]
public sealed class OnnxCatalogParityTests
{
    [Theory]
    [InlineData(NetworkCatalog.Seed)]
    [InlineData(NetworkCatalog.Default)]
    [InlineData(NetworkCatalog.Wide)]
    [InlineData(NetworkCatalog.Strided)]
    public void CatalogNetworkMatchesTorchSharpForBatchesOfOneAnd37(string architecture)
    {
        random.manual_seed(2024);
        using var network = OnnxTestSupport.RandomizeBatchNorms(NetworkCatalog.Create(architecture));
        var model = OnnxTestSupport.Export(network);
        var images = OnnxTestSupport.RealImages(37);

        foreach (var batch in new[] { 1, 37 })
        {
            var result = OnnxParityCheck.Run(network, model, images[..(batch * 784)]);
            Assert.Equal(batch, result.Images);
            Assert.InRange(result.MaxLogitAbsDiff, 0, 1e-3); // the check itself fails only on the probabilities
            Assert.Equal(1.0, result.ArgmaxAgreement);
            var oracle = OnnxOracle.AssertMatches(model, network, () => NetworkCatalog.Create(architecture), images[..(batch * 784)]);
            Assert.Equal(1.0, oracle.ArgmaxAgreement);
        }
    }

    [Fact]
    [Trait("Category", "Slow")] // thousands of images through both runtimes, in the serial TorchSharp collection
    public void ATrainedNetworkMatchesTorchSharpOnAThousandRealImages()
    {
        using var network = TrainedModel.LoadNetwork();
        var model = File.ReadAllBytes(TrainedModel.OnnxPath);
        var images = OnnxTestSupport.RealImages(1_000);

        var result = OnnxParityCheck.Run(network, model, images);

        Assert.Equal(1_000, result.Images);
        Assert.True(result.ArgmaxAgreement >= 0.999, $"argmax agreement {result.ArgmaxAgreement}");
        Assert.False(network.training);
        var oracle = OnnxOracle.AssertMatches(model, network, () => ClassifierTrainer.CreateNetwork(TrainedModel.State.Options, TrainedModel.State.DataSet.Shape, TrainedModel.State.DataSet.ClassCount), images);
        Assert.True(oracle.ArgmaxAgreement >= 0.999, $"argmax agreement with float64: {oracle}");
    }

    [Theory]
    [InlineData(NetworkCatalog.Default)]
    [InlineData(NetworkCatalog.Wide)]
    [InlineData(NetworkCatalog.Strided)]
    public void BatchNormalizedNetworksExportWithoutBatchNormOrDropoutNodes(string architecture)
    {
        random.manual_seed(1);
        using var network = OnnxTestSupport.RandomizeBatchNorms(NetworkCatalog.Create(architecture));
        var ops = OnnxTestSupport.OpTypes(OnnxTestSupport.Export(network));

        Assert.DoesNotContain("BatchNormalization", ops);
        Assert.DoesNotContain(ops, op => op.Contains("Dropout", StringComparison.Ordinal));
        var layers = network.Layers.children().ToList();
        Assert.Equal(architecture == NetworkCatalog.Strided ? 7 : 4, layers.Count(layer => layer is TorchSharp.Modules.Conv2d));
        Assert.Equal(layers.Count(layer => layer is TorchSharp.Modules.Conv2d), ops.Count(op => op == "Conv"));
        string[] pooling = architecture == NetworkCatalog.Strided ? [] : ["MaxPool"]; // strided convolutions shrink its maps instead
        Assert.Equal(["Conv", "Flatten", "Gemm", .. pooling, "Relu", "Reshape", "Softmax"], ops.Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void InitializerNamesAreTheLayerNamesAndExportIsDeterministic()
    {
        random.manual_seed(9);
        using var network = OnnxTestSupport.RandomizeBatchNorms(NetworkCatalog.Create(NetworkCatalog.Default));
        var first = OnnxTestSupport.Export(network);
        var second = OnnxTestSupport.Export(network);

        Assert.Equal(first, second);
        var names = global::Onnx.ModelProto.Parser.ParseFrom(first).Graph.Initializer.Select(i => i.Name);
        Assert.Equal(
            ["images.shape", "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "conv3.weight", "conv3.bias",
             "conv4.weight", "conv4.bias", "fc.weight", "fc.bias"],
            names);
    }

    [Fact]
    [Trait("Category", "Slow")] // thousands of images through both runtimes, in the serial TorchSharp collection
    public void MoreImagesThanOneChunkAreAllCompared()
    {
        random.manual_seed(4);
        using var network = NetworkCatalog.Create(NetworkCatalog.Seed);
        var model = OnnxTestSupport.Export(network);

        var images = OnnxTestSupport.RealImages(OnnxParityCheck.ChunkSize + 76);
        var result = OnnxParityCheck.Run(network, model, images);
        Assert.Equal(OnnxParityCheck.ChunkSize + 76, result.Images);
        OnnxOracle.AssertMatches(model, network, () => NetworkCatalog.Create(NetworkCatalog.Seed), images);
    }
}
