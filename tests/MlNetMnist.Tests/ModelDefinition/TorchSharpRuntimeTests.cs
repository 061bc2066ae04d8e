using MlNetMnist.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetMnist.Tests;

/// <summary>Proves TorchSharp's native libraries load and compute on this machine.</summary>
[Collection(TorchSharpCollection.Name)]
public sealed class TorchSharpRuntimeTests
{
    [Fact]
    public void ForwardAndBackwardPassComputeTheExpectedGradient()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1f, 2f, 3f }).requires_grad_();
        var y = (x * x).sum();           // y = Σ x², dy/dx = 2x
        y.backward();
        Assert.Equal(14f, y.item<float>());
        Assert.Equal(new[] { 2f, 4f, 6f }, x.grad!.data<float>().ToArray());
    }

    [Fact]
    public void ConvolutionLayerTrainsOneStep()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(1);
        var conv = nn.Conv2d(1, 4, 3);
        var input = randn(2, 1, 8, 8);
        var loss = conv.forward(input).pow(2).mean();
        var optimizer = optim.SGD(conv.parameters(), 0.1);
        loss.backward();
        optimizer.step();
        var after = conv.forward(input).pow(2).mean();
        Assert.True(after.item<float>() < loss.item<float>(), "one SGD step must lower the loss");
    }
}
