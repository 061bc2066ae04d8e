using MlNetMnist.Data;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using MlNetMnist.ModelDefinition.Networks;
using MlNetMnist.ModelDefinition.Onnx;
using MlNetMnist.Tests.Support;
using static TorchSharp.torch;

namespace MlNetMnist.Tests.ModelDefinition;

/// <summary>The saved file's contract: names, shapes, versions and metadata other tools rely on.</summary>
[Collection(TorchSharpCollection.Name)]
public sealed class OnnxExporterContractTests
{
    [Fact]
    public void SavedModelCarriesTheContractNamesShapesAndMetadata()
    {
        random.manual_seed(6);
        using var network = NetworkCatalog.Create(NetworkCatalog.Default);
        using var directory = new TempDirectory();
        var path = directory.File("model.onnx");
        var options = new OnnxExportOptions
        {
            ValidationAccuracy = 0.9923,
            ExtraMetadata = new Dictionary<string, string> { ["run"] = "abc123" },
        };

        OnnxExporter.Save(network, options, path);

        Assert.Equal(["model.onnx"], directory.FileNames());
        using var session = new InferenceSession(File.ReadAllBytes(path));
        var metadata = session.ModelMetadata;
        Assert.Equal("MlNetMnist", metadata.ProducerName);
        Assert.Equal(NetworkCatalog.Default, metadata.GraphName);
        var map = metadata.CustomMetadataMap;
        Assert.Equal(0.1307, double.Parse(map["normalization_mean"], CultureInfo.InvariantCulture));
        Assert.Equal(0.3081, double.Parse(map["normalization_std"], CultureInfo.InvariantCulture));
        Assert.Equal("""["0","1","2","3","4","5","6","7","8","9"]""", map["labels"]);
        Assert.Equal("[1,28,28]", map["image_shape"]);
        Assert.Equal("MNIST", map["dataset"]);
        Assert.Equal(0.9923, double.Parse(map["validation_accuracy"], CultureInfo.InvariantCulture));
        Assert.Equal(NetworkCatalog.Default, map["architecture"]);
        Assert.Equal("abc123", map["run"]);

        var input = Assert.Single(session.InputMetadata);
        Assert.Equal("input", input.Key);
        Assert.Equal(typeof(float), input.Value.ElementType);
        Assert.Equal([-1, 784], input.Value.Dimensions);
        Assert.Equal("N", input.Value.SymbolicDimensions[0]);
        Assert.Equal(["logits", "probabilities"], session.OutputMetadata.Keys.Order(StringComparer.Ordinal));
        Assert.All(session.OutputMetadata.Values, output => Assert.Equal([-1, 10], output.Dimensions));
    }

    [Fact]
    public void ModelProtoHasOpset17IrVersion8AndTheProducerVersion()
    {
        random.manual_seed(6);
        using var network = NetworkCatalog.Create(NetworkCatalog.Seed);
        var model = OnnxExporter.ToModel(network, new OnnxExportOptions());

        Assert.Equal(8, model.IrVersion);
        var opset = Assert.Single(model.OpsetImport);
        Assert.Equal(("", 17L), (opset.Domain, opset.Version));
        Assert.Equal(OnnxExporter.ProducerVersion, model.ProducerVersion);
        Assert.StartsWith("0.1.0", model.ProducerVersion);
        Assert.Equal(NetworkCatalog.Seed, model.Graph.Name);
    }

    [Fact]
    public void UnknownValidationAccuracyIsNotStoredAndCustomValuesRoundTrip()
    {
        random.manual_seed(6);
        using var network = NetworkCatalog.Create(NetworkCatalog.Seed);
        var options = new OnnxExportOptions { Normalization = new PixelNormalization([0.1 + 0.2], [1.0 / 3]), DataSet = "EMNIST digits" };

        var model = OnnxExporter.ToModel(network, options);

        var map = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(["architecture", "dataset", "image_shape", "labels", "normalization_mean", "normalization_std"], map.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0.1 + 0.2, double.Parse(map["normalization_mean"], CultureInfo.InvariantCulture));
        Assert.Equal(1.0 / 3, double.Parse(map["normalization_std"], CultureInfo.InvariantCulture));
        Assert.Equal("EMNIST digits", map["dataset"]);
    }

    [Theory]
    [InlineData(13, 7)]
    [InlineData(15, 8)]
    [InlineData(17, 8)]
    [InlineData(19, 9)]
    [InlineData(21, 10)]
    [InlineData(23, 11)]
    public void EverySupportedOpsetLoadsInOnnxRuntimeAndMatches(int opset, long irVersion)
    {
        random.manual_seed(8);
        using var network = OnnxTestSupport.RandomizeBatchNorms(NetworkCatalog.Create(NetworkCatalog.Default));
        var model = OnnxExporter.ToModel(network, new OnnxExportOptions { Opset = opset });

        Assert.Equal(irVersion, model.IrVersion);
        Assert.Equal(opset, Assert.Single(model.OpsetImport).Version);
        var bytes = Google.Protobuf.MessageExtensions.ToByteArray(model);
        var images = OnnxTestSupport.RealImages(4);
        Assert.Equal(4, OnnxParityCheck.Run(network, bytes, images).Images);
        OnnxOracle.AssertMatches(bytes, network, () => NetworkCatalog.Create(NetworkCatalog.Default), images);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(24)]
    public void OpsetOutsideTheSupportedRangeIsRejected(int opset)
    {
        using var network = NetworkCatalog.Create(NetworkCatalog.Seed);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => OnnxExporter.ToModel(network, new OnnxExportOptions { Opset = opset }));
        Assert.Equal("Opset", error.ParamName);
    }

    [Fact]
    public void InvalidOptionsAreRejected()
    {
        using var network = NetworkCatalog.Create(NetworkCatalog.Seed);
        Assert.Throws<ArgumentException>(() => new PixelNormalization([0.1], [0]));
        Assert.Throws<ArgumentException>(() => new PixelNormalization([double.NaN], [0.3]));
        Assert.Throws<ArgumentException>(() => OnnxExporter.ToModel(network, new OnnxExportOptions { Normalization = new PixelNormalization([0.5, 0.5, 0.5], [0.2, 0.2, 0.2]) }));
        Assert.Throws<ArgumentException>(() => OnnxExporter.ToModel(network, new OnnxExportOptions { Labels = ["a", "b"] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => OnnxExporter.ToModel(network, new OnnxExportOptions { ValidationAccuracy = 99.2 }));
        Assert.Throws<ArgumentException>(() => OnnxExporter.ToModel(network, new OnnxExportOptions { DataSet = " " }));
        var reserved = Assert.Throws<ArgumentException>(() => OnnxExporter.ToModel(network,
            new OnnxExportOptions { ExtraMetadata = new Dictionary<string, string> { ["labels"] = "a,b" } }));
        Assert.Contains("'labels'", reserved.Message);
    }
}
