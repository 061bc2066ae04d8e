using MlNetMnist.Data;
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

    /// <summary>
    /// Whether <see cref="forward"/> hands the layers channels-last (NHWC) images, so that every
    /// convolution, pooling and activation after them works channels-last too. libtorch's oneDNN
    /// convolutions then need no reorders to and from their blocked layout and max pooling uses its
    /// vectorized kernel. Same arithmetic, faster on a CPU; false gives libtorch's default NCHW.
    /// Default true.
    /// </summary>
    public bool ChannelsLast { get; set; } = true;

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="input"/> is neither <c>[N, 784]</c> nor <c>[N, 1, 28, 28]</c> (in either layout).</exception>
    public override Tensor forward(Tensor input)
    {
        const int side = MnistCatalog.ImageSize;
        bool flat = input.dim() == 2 && input.shape[1] == MnistCatalog.PixelCount;
        if (!flat && !(input.dim() == 4 && input.shape[1] == 1 && input.shape[2] == side && input.shape[3] == side))
            throw new ArgumentException($"Expected images of shape [N, {MnistCatalog.PixelCount}] or [N, 1, {side}, {side}], got [{string.Join(", ", input.shape)}].", nameof(input));
        using var images = flat ? input.view(-1, 1, side, side) : input.alias();
        if (!ChannelsLast) return layers.forward(images);
        using var channelsLast = AsChannelsLast(images);
        return layers.forward(channelsLast);
    }

    // With one channel, NCHW and NHWC hold the same bytes in the same order: only the strides say
    // which layout the tensor is in, and libtorch picks the layout of a convolution from them.
    // (contiguous() cannot express this: a one-channel tensor already counts as contiguous.)
    private static Tensor AsChannelsLast(Tensor images)
    {
        using var contiguous = images.contiguous();
        return contiguous.as_strided([images.shape[0], 1, 28, 28], [28 * 28, 1, 28, 1], contiguous.storage_offset());
    }
}
