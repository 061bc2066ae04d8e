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

    /// <summary>
    /// A deeper CNN that shrinks its feature maps with strided 5×5 convolutions instead of pooling;
    /// about as accurate as <see cref="Wide"/> alone, and wrong on other images, so the two make a
    /// better ensemble than either with itself.
    /// </summary>
    public const string Strided = "strided";

    /// <summary>The names <see cref="Create(string, ImageShape, int, bool)"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [Seed, Default, Wide, Strided];

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
        Strided => CreateStridedCnn(shape, classes),
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

    /// <summary>
    /// Seven convolutions with batch normalization and no pooling (after a well-known Kaggle MNIST
    /// network): for MNIST 32 3×3 twice (28 → 24), 32 5×5 with stride 2 (→ 12), dropout 0.4,
    /// 64 3×3 twice (→ 8), 64 5×5 with stride 2 (→ 4), dropout 0.4, 128 4×4 (→ 1), dropout 0.4,
    /// one linear layer (after a global average when the last map is larger than 1×1). Images
    /// under 20 pixels a side get padded 3×3 convolutions so the map does not vanish.
    /// </summary>
    public static ClassifierNetwork CreateStridedCnn(ImageShape shape, int classes)
    {
        int padding = Math.Min(shape.Height, shape.Width) < 20 ? 1 : 0;
        int Valid(int size, int kernel) => size + 2 * padding - kernel + 1;
        static int Halve(int size) => (size + 1) / 2; // 5×5, stride 2, padding 2
        var (h, w) = (Halve(Valid(Valid(shape.Height, 3), 3)), Halve(Valid(Valid(shape.Width, 3), 3)));
        (h, w) = (Halve(Valid(Valid(h, 3), 3)), Halve(Valid(Valid(w, 3), 3)));
        int last = Math.Min(4, Math.Min(h, w));
        (h, w) = (h - last + 1, w - last + 1);
        if (h < 1 || w < 1)
            throw new ArgumentException($"The images are too small for the {Strided} network ({shape.Height}×{shape.Width}).");
        return new(Strided, shape, classes,
        [
            .. ConvBatchNormRelu(1, shape.Channels, 32, 3, 1, padding),
            .. ConvBatchNormRelu(2, 32, 32, 3, 1, padding),
            .. ConvBatchNormRelu(3, 32, 32, 5, 2, 2),
            ("dropout1", Dropout(0.4)),
            .. ConvBatchNormRelu(4, 32, 64, 3, 1, padding),
            .. ConvBatchNormRelu(5, 64, 64, 3, 1, padding),
            .. ConvBatchNormRelu(6, 64, 64, 5, 2, 2),
            ("dropout2", Dropout(0.4)),
            .. ConvBatchNormRelu(7, 64, 128, last, 1, 0),
            .. (h * w > 1 ? [("average", AvgPool2d([h, w]))] : Array.Empty<(string, nn.Module<Tensor, Tensor>)>()),
            ("flatten", Flatten()),
            ("dropout3", Dropout(0.4)),
            ("fc", Linear(128, classes)),
        ]);
    }

    private static (string, nn.Module<Tensor, Tensor>)[] ConvBatchNormRelu(int index, int input, int output, int kernel, int stride, int padding) =>
    [
        ($"conv{index}", Conv2d(input, output, kernel, stride: stride, padding: padding, bias: false)),
        ($"bn{index}", BatchNorm2d(output)),
        ($"relu{index}", ReLU(inplace: true)),
    ];

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
