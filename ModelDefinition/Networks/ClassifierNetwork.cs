using MlNetMnist.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MlNetMnist.ModelDefinition.Networks;

/// <summary>
/// An image classifier: a named stack of layers (<see cref="Layers"/>) that maps a batch of
/// normalized images of <see cref="InputShape"/> to <see cref="ClassCount"/> logits.
/// <see cref="forward"/> accepts either <c>[N, C·H·W]</c> (the ONNX contract; <c>[N, 784]</c> for
/// MNIST) or <c>[N, C, H, W]</c>.
/// </summary>
/// <remarks>
/// The layer stack holds only layer types the ONNX exporter knows (Conv2d, BatchNorm2d, ReLU,
/// MaxPool2d, AvgPool2d, Flatten, Linear, Dropout), so every network defined this way can be exported.
/// </remarks>
public sealed class ClassifierNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    /// <summary>Creates a network named <paramref name="architecture"/> from <paramref name="layers"/>.</summary>
    /// <param name="architecture">The architecture's name.</param>
    /// <param name="inputShape">The shape of the images it takes.</param>
    /// <param name="classCount">The number of logits it produces.</param>
    /// <param name="layers">The layers, applied in order to a <c>[N, C, H, W]</c> batch.</param>
    public ClassifierNetwork(string architecture, ImageShape inputShape, int classCount, params (string Name, nn.Module<Tensor, Tensor> Layer)[] layers)
        : base(architecture)
    {
        ArgumentException.ThrowIfNullOrEmpty(architecture);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputShape.PixelCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        Architecture = architecture;
        InputShape = inputShape;
        ClassCount = classCount;
        this.layers = nn.Sequential(layers);
        RegisterComponents();
    }

    /// <summary>The architecture's name (for example <c>seed</c> or <c>default</c>), stored in checkpoints and model metadata.</summary>
    public string Architecture { get; }

    /// <summary>The shape of one input image.</summary>
    public ImageShape InputShape { get; }

    /// <summary>The number of classes (logits per image).</summary>
    public int ClassCount { get; }

    /// <summary>The layers, applied in order to a <c>[N, C, H, W]</c> batch.</summary>
    public Sequential Layers => layers;

    /// <summary>
    /// What the logits of the weights as trained are divided by: 1 until <see cref="DivideLogits"/>
    /// folds a temperature into the last linear layer (see <see cref="Training.TemperatureScaling"/>).
    /// </summary>
    public double Temperature { get; private set; } = 1;

    /// <summary>
    /// Divides every logit by <paramref name="temperature"/> from now on, by dividing the weights and
    /// bias of the last layer, a linear one, by it: the same graph, sharper (T &lt; 1) or flatter
    /// (T &gt; 1) probabilities, the same predicted class. <see cref="Temperature"/> accumulates it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The temperature is not a positive finite number.</exception>
    /// <exception cref="InvalidOperationException">The last layer is not a linear one.</exception>
    public void DivideLogits(double temperature)
    {
        if (!double.IsFinite(temperature) || temperature <= 0)
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "A temperature is a positive finite number.");
        if (layers.children().LastOrDefault() is not Linear last)
            throw new InvalidOperationException($"The last layer of '{Architecture}' is not a linear one, so its logits cannot be scaled in place.");
        using var noGrad = no_grad();
        last.weight!.div_(temperature);
        last.bias?.div_(temperature);
        Temperature *= temperature;
    }

    /// <summary>
    /// Whether <see cref="forward"/> hands the layers channels-last (NHWC) images, so that every
    /// convolution, pooling and activation after them works channels-last too. libtorch's oneDNN
    /// convolutions then need no reorders to and from their blocked layout and max pooling uses its
    /// vectorized kernel. Same arithmetic, faster on a CPU; false gives libtorch's default NCHW.
    /// Default true.
    /// </summary>
    public bool ChannelsLast { get; set; } = true;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var (c, h, w) = (InputShape.Channels, InputShape.Height, InputShape.Width);
        bool flat = input.dim() == 2 && input.shape[1] == InputShape.PixelCount;
        bool planar = input.dim() == 4 && input.shape[1] == c && input.shape[2] == h && input.shape[3] == w;
        if (!flat && !planar)
            throw new ArgumentException(
                $"Expected images of shape [N, {InputShape.PixelCount}] or [N, {c}, {h}, {w}], got [{string.Join(", ", input.shape)}].", nameof(input));
        using var images = flat ? input.view(-1, c, h, w) : input.alias();
        if (!ChannelsLast) return layers.forward(images);
        using var channelsLast = AsChannelsLast(images);
        return layers.forward(channelsLast);
    }

    // With one channel, NCHW and NHWC hold the same bytes in the same order: only the strides say
    // which layout the tensor is in, and libtorch picks the layout of a convolution from them.
    // (contiguous() cannot express this: a one-channel tensor already counts as contiguous.)
    // With several channels the values really move: NHWC-contiguous, seen through NCHW indices.
    private static Tensor AsChannelsLast(Tensor images)
    {
        long n = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        if (c > 1)
        {
            using var nhwc = images.permute(0, 2, 3, 1).contiguous();
            return nhwc.permute(0, 3, 1, 2);
        }
        using var contiguous = images.contiguous();
        return contiguous.as_strided([n, 1, h, w], [h * w, 1, w, 1], contiguous.storage_offset());
    }
}
