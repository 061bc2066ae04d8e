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

    /// <summary>The names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [Seed, Default, Wide];

    /// <summary>Creates the network named <paramref name="name"/> with freshly initialized weights.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="activationAfterPooling">
    /// True (the default) applies each ReLU after the max pooling that follows it in the textbook
    /// order (conv → ReLU → pool becomes conv → pool → ReLU), and in place. ReLU and max pooling
    /// commute, so outputs and gradients are identical and the weights of either order load into the
    /// other; the ReLU just runs on a quarter of the elements without allocating. False keeps the
    /// textbook order with out-of-place ReLUs.
    /// </param>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static MnistNetwork Create(string name, bool activationAfterPooling = true) => name switch
    {
        Seed => CreateSeed(activationAfterPooling),
        Default => CreateBatchNormCnn(Default, 16, 32, 64, activationAfterPooling),
        Wide => CreateBatchNormCnn(Wide, 32, 64, 128, activationAfterPooling),
        _ => throw new ArgumentException($"Unknown network '{name}'. Known networks: {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>
    /// Conv2D 32 3×3 + ReLU + MaxPool 2, Conv2D 64 3×3 + ReLU + MaxPool 2, Flatten, Dense 128 + ReLU,
    /// Dense 10: the Keras tutorial's network (softmax is applied at inference). See
    /// <see cref="Create"/> for <paramref name="activationAfterPooling"/>.
    /// </summary>
    public static MnistNetwork CreateSeed(bool activationAfterPooling = true) => new(Seed,
    [
        ("conv1", Conv2d(1, 32, 3)),
        .. ReluAndPool("relu1", "pool1", activationAfterPooling),
        ("conv2", Conv2d(32, 64, 3)),
        .. ReluAndPool("relu2", "pool2", activationAfterPooling),
        ("flatten", Flatten()),
        ("fc1", Linear(64 * 5 * 5, 128)),
        ("relu3", ReLU(inplace: activationAfterPooling)),
        ("fc2", Linear(128, 10)),
    ]);

    /// <summary>
    /// Four 3×3 convolutions with batch normalization (<paramref name="c1"/> at 28×28,
    /// <paramref name="c2"/> at 14×14, <paramref name="c3"/> twice at 7×7), max pooling between
    /// stages, dropout, and one linear layer. See <see cref="Create"/> for
    /// <paramref name="activationAfterPooling"/>.
    /// </summary>
    public static MnistNetwork CreateBatchNormCnn(string name, int c1, int c2, int c3, bool activationAfterPooling = true) => new(name,
    [
        ("conv1", Conv2d(1, c1, 3, padding: 1, bias: false)),
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
        ("flatten", Flatten()),
        ("dropout", Dropout(0.1)),
        ("fc", Linear(c3 * 3 * 3, 10)),
    ]);

    private static (string, nn.Module<Tensor, Tensor>)[] ReluAndPool(string relu, string pool, bool activationAfterPooling) => activationAfterPooling
        ? [(pool, MaxPool2d(2)), (relu, ReLU(inplace: true))]
        : [(relu, ReLU()), (pool, MaxPool2d(2))];
}
