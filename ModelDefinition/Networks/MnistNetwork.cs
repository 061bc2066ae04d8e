using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetMnist.ModelDefinition.Networks;

/// <summary>
/// A digit classifier: a named stack of layers (<see cref="Layers"/>) that maps a batch of
/// normalized images to 10 logits. <see cref="forward"/> accepts either
/// <c>[N, 784]</c> (the ONNX contract) or <c>[N, 1, 28, 28]</c>.
/// </summary>
/// <remarks>
/// The layer stack holds only layer types the ONNX exporter knows (Conv2d, BatchNorm2d, ReLU,
/// MaxPool2d, Flatten, Linear, Dropout), so every network defined this way can be exported.
/// </remarks>
public sealed class MnistNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    /// <summary>Creates a network named <paramref name="architecture"/> from <paramref name="layers"/>.</summary>
    public MnistNetwork(string architecture, params (string Name, nn.Module<Tensor, Tensor> Layer)[] layers)
        : base(architecture)
    {
        ArgumentException.ThrowIfNullOrEmpty(architecture);
        Architecture = architecture;
        this.layers = nn.Sequential(layers);
        RegisterComponents();
    }

    /// <summary>The architecture's name (for example <c>seed</c> or <c>default</c>), stored in checkpoints and model metadata.</summary>
    public string Architecture { get; }

    /// <summary>The layers, applied in order to a <c>[N, 1, 28, 28]</c> batch.</summary>
    public Sequential Layers => layers;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var images = input.dim() == 2 ? input.view(-1, 1, 28, 28) : input.alias();
        return layers.forward(images);
    }
}
