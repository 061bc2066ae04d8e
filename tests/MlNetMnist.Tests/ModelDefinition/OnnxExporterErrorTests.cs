using MlNetMnist.Data;
using MlNetMnist.Tests.Support;
using MlNetMnist.ModelDefinition.Networks;
using MlNetMnist.ModelDefinition.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace MlNetMnist.Tests.ModelDefinition;

/// <summary>Networks the exporter cannot write fail with an <see cref="OnnxExportException"/> that says why.</summary>
[Collection(TorchSharpCollection.Name)]
public sealed class OnnxExporterErrorTests
{
    private static OnnxExportException ExportFails(ClassifierNetwork network)
    {
        using (network)
            return Assert.Throws<OnnxExportException>(() => OnnxExporter.ToModel(network, new OnnxExportOptions()));
    }

    [Fact]
    public void UnknownLayerIsNamedWithItsTypeAndTheSupportedTypes()
    {
        var error = ExportFails(new ClassifierNetwork("t", MnistCatalog.Shape, 10, ("flatten", Flatten()), ("fc", Linear(784, 10)), ("squash", Tanh())));

        Assert.Equal("squash", error.LayerName);
        Assert.Equal(typeof(Tanh), error.LayerType);
        Assert.Contains("'squash'", error.Message);
        Assert.Contains("TorchSharp.Modules.Tanh", error.Message);
        foreach (var supported in new[] { "Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d", "Flatten", "Linear", "Dropout" })
            Assert.Contains(supported, error.Message);
    }

    [Fact]
    public void AveragePoolingWithADivisorOverrideIsNotSilentlyExported()
    {
        var error = ExportFails(new ClassifierNetwork("t", MnistCatalog.Shape, 10, ("pool", AvgPool2d(2, divisor_override: 3)), ("flatten", Flatten()), ("fc", Linear(196, 10))));

        Assert.Equal(typeof(AvgPool2d), error.LayerType);
        Assert.Contains("divisor override", error.Message);
    }

    [Fact]
    public void FlattenThatMergesTheBatchDimensionIsRejected()
    {
        var error = ExportFails(new ClassifierNetwork("t", MnistCatalog.Shape, 10, ("flatten", Flatten(start_dim: 0)), ("fc", Linear(784, 10))));

        Assert.Equal("flatten", error.LayerName);
        Assert.Contains("start_dim 0", error.Message);
    }

    [Fact]
    public void LinearOnAFourDimensionalValueIsRejected()
    {
        var error = ExportFails(new ClassifierNetwork("t", MnistCatalog.Shape, 10, ("fc", Linear(28, 10))));

        Assert.Equal("fc", error.LayerName);
        Assert.Contains("Flatten", error.Message);
    }

    [Fact]
    public void BatchNormWithoutRunningStatisticsIsRejected()
    {
        var error = ExportFails(new ClassifierNetwork("t", MnistCatalog.Shape, 10,
            ("conv", Conv2d(1, 2, 3)), ("bn", BatchNorm2d(2, track_running_stats: false)), ("flatten", Flatten()), ("fc", Linear(2 * 26 * 26, 10))));

        Assert.Equal("bn", error.LayerName);
        Assert.Contains("running statistics", error.Message);
    }

    [Fact]
    public void NetworkWithoutOneOutputPerClassIsRejected()
    {
        var error = ExportFails(new ClassifierNetwork("t", MnistCatalog.Shape, 10, ("flatten", Flatten()), ("fc", Linear(784, 7))));

        Assert.Contains("[1, 7]", error.Message);
        Assert.Contains("[1, 10]", error.Message);
    }
}
