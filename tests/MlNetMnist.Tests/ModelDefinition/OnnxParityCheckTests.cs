using MlNetMnist.Tests.Support;
using Google.Protobuf;
using MlNetMnist.ModelDefinition.Networks;
using MlNetMnist.ModelDefinition.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetMnist.Tests.ModelDefinition;

/// <summary>The parity check catches a wrong model and leaves the network as it found it.</summary>
[Collection(TorchSharpCollection.Name)]
public sealed class OnnxParityCheckTests
{
    [Fact]
    public void CorruptedInitializerFailsTheParityCheck()
    {
        random.manual_seed(12);
        using var network = OnnxTestSupport.RandomizeBatchNorms(NetworkCatalog.Create(NetworkCatalog.Default));
        var model = OnnxExporter.ToModel(network, new OnnxExportOptions());
        var bias = model.Graph.Initializer.Single(i => i.Name == "fc.bias");
        var values = bias.RawData.ToByteArray();
        BitConverter.TryWriteBytes(values.AsSpan(0, 4), BitConverter.ToSingle(values, 0) + 1f);
        bias.RawData = ByteString.CopyFrom(values);
        network.train();

        var error = Assert.Throws<OnnxParityException>(() => OnnxParityCheck.Run(network, model.ToByteArray(), OnnxTestSupport.RealImages(16)));

        Assert.True(error.Result.MaxAbsDiff > 1e-4, $"MaxAbsDiff {error.Result.MaxAbsDiff}");
        Assert.InRange(error.Result.MaxLogitAbsDiff, 0.99, 1.01);
        Assert.Equal(16, error.Result.Images);
        Assert.Equal(OnnxParityCheck.DefaultTolerance, error.Tolerance);
        Assert.Contains("tolerance", error.Message);
        Assert.True(network.training, "the network must be back in training mode after a failed check");
        var oracle = OnnxOracle.Compare(model.ToByteArray(), network, () => NetworkCatalog.Create(NetworkCatalog.Default), OnnxTestSupport.RealImages(16));
        Assert.InRange(oracle.Logits, 0.99, 1.01); // the independent oracle sees the same fault
        Assert.True(oracle.Probabilities > 1e-4, $"oracle: {oracle}");
    }

    [Fact]
    public void ExportAndParityCheckRestoreEveryModulesMode()
    {
        random.manual_seed(13);
        using var network = NetworkCatalog.Create(NetworkCatalog.Default);
        network.train();
        network.modules().OfType<BatchNorm2d>().First().eval();
        var before = OnnxTestSupport.TrainingFlags(network);
        var bn = network.modules().OfType<BatchNorm2d>().Last();
        var runningMean = bn.running_mean!.data<float>().ToArray();
        var batches = bn.num_batches_tracked!.item<long>();

        var model = OnnxTestSupport.Export(network);
        Assert.Equal(before, OnnxTestSupport.TrainingFlags(network));
        OnnxParityCheck.Run(network, model, OnnxTestSupport.RealImages(8));

        Assert.Equal(before, OnnxTestSupport.TrainingFlags(network));
        Assert.Equal(runningMean, bn.running_mean!.data<float>().ToArray());
        Assert.Equal(batches, bn.num_batches_tracked!.item<long>());
    }

    [Fact]
    public void EvalModeNetworkStaysInEvalMode()
    {
        random.manual_seed(14);
        using var network = NetworkCatalog.Create(NetworkCatalog.Seed);
        network.eval();

        OnnxParityCheck.Run(network, OnnxTestSupport.Export(network), OnnxTestSupport.RealImages(2));

        Assert.All(OnnxTestSupport.TrainingFlags(network), Assert.False);
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        random.manual_seed(15);
        using var network = NetworkCatalog.Create(NetworkCatalog.Seed);
        var model = OnnxTestSupport.Export(network);

        Assert.Throws<ArgumentException>(() => OnnxParityCheck.Run(network, model, []));
        Assert.Throws<ArgumentException>(() => OnnxParityCheck.Run(network, model, new float[785]));
        Assert.Throws<ArgumentException>(() => OnnxParityCheck.Run(network, model, [.. new float[783], float.NaN]));
        Assert.Throws<ArgumentOutOfRangeException>(() => OnnxParityCheck.Run(network, model, new float[784], tolerance: -1));
    }
}
