using MlNetMnist.Data;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MlNetMnist.ModelDefinition.Networks;

/// <summary>The networks this project defines, chosen by name.</summary>
public static class NetworkCatalog
{
    /// <summary>The reference tutorial's network.</summary>
    public const string Seed = "seed";

    /// <summary>The default: a small batch-normalized CNN, fast on a CPU.</summary>
    public const string Default = "default";

    /// <summary>A wider batch-normalized CNN for the highest accuracy.</summary>
    public const string Wide = "wide";

    /// <summary>The names <see cref="Create(string, ImageShape, int, bool)"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [Seed, Default, Wide];

    /// <summary>
    /// The largest feature map (cells) the classifier reads directly; larger ones (images over about
    /// 35 pixels a side) are averaged to 1×1 first, so the linear layer stays small.
    /// </summary>
    public const int MaxClassifierCells = 16;

    /// <summary>Creates the network named <paramref name="name"/> for MNIST's shape and classes.</summary>
    public static ClassifierNetwork Create(string name, bool activationAfterPooling = true)
        => Create(name, MnistCatalog.Shape, MnistCatalog.ClassNames.Count, activationAfterPooling);

    /// <summary>Creates the network named <paramref name="name"/> with freshly initialized weights.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="shape">The shape of the input images.</param>
    /// <param name="classes">The number of classes.</param>
    /// <param name="activationAfterPooling">
    /// True (the default) applies each ReLU after the max pooling that follows it in the textbook
    /// order (conv → ReLU → pool becomes conv → pool → ReLU), and in place. ReLU and max pooling
    /// commute, so outputs and gradients are identical and the weights of either order load into the
    /// other; the ReLU just runs on a quarter of the elements without allocating. False keeps the
    /// textbook order with out-of-place ReLUs.
    /// </param>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static ClassifierNetwork Create(string name, ImageShape shape, int classes, bool activationAfterPooling = true) => name switch
    {
        Seed => CreateSeed(shape, classes, activationAfterPooling),
        Default => CreateBatchNormCnn(Default, shape, classes, 16, 32, 64, activationAfterPooling),
        Wide => CreateBatchNormCnn(Wide, shape, classes, 32, 64, 128, activationAfterPooling),
        _ => throw new ArgumentException($"Unknown network '{name}'. Known networks: {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>
    /// Conv2D 32 3×3 + ReLU + MaxPool 2, Conv2D 64 3×3 + ReLU + MaxPool 2, Flatten, Dense 128 + ReLU,
    /// Dense 10: the Keras tutorial's network (softmax is applied at inference). Images under 16
    /// pixels a side get padded convolutions so the feature map does not vanish. See
    /// <see cref="Create(string, ImageShape, int, bool)"/> for <paramref name="activationAfterPooling"/>.
    /// </summary>
    public static ClassifierNetwork CreateSeed(ImageShape shape, int classes, bool activationAfterPooling = true)
    {
        int padding = Math.Min(shape.Height, shape.Width) < 16 ? 1 : 0;
        var (h, w) = (Pool(shape.Height + 2 * padding - 2), Pool(shape.Width + 2 * padding - 2));
        (h, w) = (Pool(h + 2 * padding - 2), Pool(w + 2 * padding - 2));
        return new(Seed, shape, classes,
        [
            ("conv1", Conv2d(shape.Channels, 32, 3, padding: padding)),
            .. ReluAndPool("relu1", "pool1", activationAfterPooling),
            ("conv2", Conv2d(32, 64, 3, padding: padding)),
            .. ReluAndPool("relu2", "pool2", activationAfterPooling),
            .. Classifier(64, h, w, out int features),
            ("fc1", Linear(features, 128)),
            ("relu3", ReLU(inplace: activationAfterPooling)),
            ("fc2", Linear(128, classes)),
        ]);
    }

    /// <summary>
    /// Four 3×3 convolutions with batch normalization (for MNIST: <paramref name="c1"/> at 28×28,
    /// <paramref name="c2"/> at 14×14, <paramref name="c3"/> twice at 7×7), max pooling between
    /// stages, dropout, and one linear layer (after a global average for images over about 35
    /// pixels a side). See <see cref="Create(string, ImageShape, int, bool)"/> for
    /// <paramref name="activationAfterPooling"/>.
    /// </summary>
    public static ClassifierNetwork CreateBatchNormCnn(string name, ImageShape shape, int classes, int c1, int c2, int c3, bool activationAfterPooling = true) => new(name, shape, classes,
    [
        ("conv1", Conv2d(shape.Channels, c1, 3, padding: 1, bias: false)),
        ("bn1", BatchNorm2d(c1)),
        .. ReluAndPool("relu1", "pool1", activationAfterPooling),
        ("conv2", Conv2d(c1, c2, 3, padding: 1, bias: false)),
        ("bn2", BatchNorm2d(c2)),
        .. ReluAndPool("relu2", "pool2", activationAfterPooling),
        ("conv3", Conv2d(c2, c3, 3, padding: 1, bias: false)),
        ("bn3", BatchNorm2d(c3)),
        ("relu3", ReLU(inplace: activationAfterPooling)),
        ("conv4", Conv2d(c3, c3, 3, padding: 1, bias: false)),
        ("bn4", BatchNorm2d(c3)),
        .. ReluAndPool("relu4", "pool3", activationAfterPooling),
        .. Classifier(c3, Pool(Pool(Pool(shape.Height))), Pool(Pool(Pool(shape.Width))), out int features),
        ("dropout", Dropout(0.1)),
        ("fc", Linear(features, classes)),
    ]);

    private static int Pool(int size) => size / 2;

    /// <summary>Flatten, preceded by a global average when the feature map has more than <see cref="MaxClassifierCells"/> cells.</summary>
    private static (string, nn.Module<Tensor, Tensor>)[] Classifier(int channels, int height, int width, out int features)
    {
        if (height < 1 || width < 1)
            throw new ArgumentException($"The images are too small for this network: its feature map shrinks to {height}×{width}.");
        if (height * width <= MaxClassifierCells)
        {
            features = channels * height * width;
            return [("flatten", Flatten())];
        }
        features = channels;
        return [("average", AvgPool2d([height, width])), ("flatten", Flatten())];
    }

    private static (string, nn.Module<Tensor, Tensor>)[] ReluAndPool(string relu, string pool, bool activationAfterPooling) => activationAfterPooling
        ? [(pool, MaxPool2d(2)), (relu, ReLU(inplace: true))]
        : [(relu, ReLU()), (pool, MaxPool2d(2))];
}
