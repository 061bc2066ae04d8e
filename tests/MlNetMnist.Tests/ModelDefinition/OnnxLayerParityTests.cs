using MlNetMnist.Tests.Support;
using MlNetMnist.ModelDefinition.Onnx;
using static TorchSharp.torch;

namespace MlNetMnist.Tests.ModelDefinition;

/// <summary>Each supported layer type, with random weights, exports to the expected nodes and matches TorchSharp.</summary>
[Collection(TorchSharpCollection.Name)]
public sealed class OnnxLayerParityTests
{
    public static TheoryData<string> Cases => OnnxLayerCases.Names;

    [Theory]
    [MemberData(nameof(Cases))]
    public void LayerExportsToExpectedNodesAndMatchesTorchSharp(string name)
    {
        random.manual_seed(42);
        var testCase = OnnxLayerCases.All[name];
        using var network = OnnxTestSupport.RandomizeBatchNorms(testCase.Create());
        var model = OnnxTestSupport.Export(network);

        Assert.Equal(["Reshape", .. testCase.Ops, "Softmax"], OnnxTestSupport.OpTypes(model));
        var images = OnnxTestSupport.RandomImages(8, seed: 7);
        var result = OnnxParityCheck.Run(network, model, images);
        Assert.Equal(8, result.Images);
        Assert.InRange(result.MaxLogitAbsDiff, 0, 1e-3); // the check itself fails only on the probabilities
        OnnxOracle.AssertMatches(model, network, testCase.Create, images);
    }

    [Fact]
    public void FoldedBatchNormMatchesRunningStatisticsLearnedInTraining()
    {
        random.manual_seed(3);
        var testCase = OnnxLayerCases.All["batch norm folded into conv with bias"];
        using var network = testCase.Create();
        network.train();
        using (no_grad())
        {
            for (var i = 0; i < 5; i++)
            {
                using var scope = NewDisposeScope();
                network.forward(randn(16, 784) * 2 + 0.5);
            }
        }
        var model = OnnxTestSupport.Export(network);

        var images = OnnxTestSupport.RandomImages(8, seed: 11);
        OnnxParityCheck.Run(network, model, images);
        Assert.True(network.training, "the parity check must leave the network in training mode");
        OnnxOracle.AssertMatches(model, network, testCase.Create, images);
    }

    [Fact]
    public void DropoutIsRemovedAndEvalOutputIsUnchanged()
    {
        random.manual_seed(5);
        var testCase = OnnxLayerCases.All["dropouts of every kind removed"];
        using var network = testCase.Create();
        network.train();
        var model = OnnxTestSupport.Export(network);

        Assert.DoesNotContain(OnnxTestSupport.OpTypes(model), op => op.Contains("Dropout", StringComparison.Ordinal));
        var images = OnnxTestSupport.RandomImages(16, seed: 13);
        Assert.Equal(1.0, OnnxParityCheck.Run(network, model, images).ArgmaxAgreement);
        Assert.Equal(1.0, OnnxOracle.AssertMatches(model, network, testCase.Create, images).ArgmaxAgreement);
    }
}
