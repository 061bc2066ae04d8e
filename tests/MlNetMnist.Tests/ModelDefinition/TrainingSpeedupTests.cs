using TorchSharp;
using MlNetMnist.ModelDefinition.Networks;
using MlNetMnist.ModelDefinition.Training;
using MlNetMnist.Tests.Support;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MlNetMnist.Tests.ModelDefinition;

/// <summary>The training speed-ups change how fast a network trains, never what it computes.</summary>
[Collection(TorchSharpCollection.Name)]
public sealed class TrainingSpeedupTests
{
    /// <summary>The networks with max pooling (the strided network has none, so the order is moot there).</summary>
    public static TheoryData<string> PooledNetworks => [.. NetworkCatalog.Names.Where(name => name != NetworkCatalog.Strided)];

    /// <summary>Logits and parameter gradients of one training step on 64 real images.</summary>
    /// <param name="dropout">False keeps the dropout layers in eval mode (identity) for the step.</param>
    private static (double[] Logits, Dictionary<string, double[]> Gradients) Step(ClassifierNetwork network, Tensor images, Tensor labels, long dropoutSeed, bool dropout = true)
    {
        network.train();
        if (!dropout)
            foreach (var layer in network.Layers.children().OfType<TorchSharp.Modules.Dropout>()) layer.eval();
        network.zero_grad();
        random.manual_seed(dropoutSeed);
        using var scope = NewDisposeScope();
        var logits = network.forward(images);
        F.cross_entropy(logits, labels).backward();
        return (Values(logits.detach()), network.named_parameters().ToDictionary(p => p.name, p => Values(p.parameter.grad!)));
    }

    private static double[] Values(Tensor tensor)
    {
        using var values = tensor.to(ScalarType.Float64).contiguous();
        return values.data<double>().ToArray();
    }

    private static (Tensor Images, Tensor Labels) RealBatch(int offset, int count)
    {
        using var all = SplitTensors.Images(RealMnist.DataSet.Train, RealMnist.DataSet.Description.Normalization, offset + count);
        using var labels = SplitTensors.Labels(RealMnist.DataSet.Train, offset + count);
        return (all.narrow(0, offset, count).contiguous(), labels.narrow(0, offset, count).contiguous());
    }

    /// <summary>‖actual − expected‖ / ‖expected‖.</summary>
    private static double RelativeError(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double difference = Math.Sqrt(expected.Zip(actual, (e, a) => (e - a) * (e - a)).Sum());
        double size = Math.Sqrt(expected.Sum(e => e * e));
        Assert.True(size > 0, "an all-zero reference");
        return difference / size;
    }

    [Theory]
    [MemberData(nameof(PooledNetworks))]
    public void ReluAfterPoolingGivesTheSameOutputsAndGradientsAsTheTextbookOrder(string name)
    {
        var (images, labels) = RealBatch(0, 64);
        using var textbook = NetworkCatalog.Create(name, activationAfterPooling: false);
        using var reordered = NetworkCatalog.Create(name, activationAfterPooling: true);
        reordered.load_state_dict(textbook.state_dict());
        textbook.ChannelsLast = reordered.ChannelsLast = false;

        var expected = Step(textbook, images, labels, dropoutSeed: 5);
        var actual = Step(reordered, images, labels, dropoutSeed: 5);

        Assert.Equal(expected.Logits, actual.Logits);
        foreach (var (parameter, gradient) in expected.Gradients)
            Assert.Equal(gradient, actual.Gradients[parameter]);
        Assert.NotEqual(
            textbook.Layers.named_children().Select(c => c.name),
            reordered.Layers.named_children().Select(c => c.name));
    }

    [Theory]
    [InlineData(NetworkCatalog.Seed, 1e-5, 1e-5)]
    [InlineData(NetworkCatalog.Default, 2e-4, 5e-2)]
    [InlineData(NetworkCatalog.Wide, 2e-4, 5e-2)]
    [InlineData(NetworkCatalog.Strided, 2e-4, 5e-2)]
    public void ChannelsLastStaysWithinFloatRoundingOfExactArithmetic(string name, double logitTolerance, double gradientTolerance)
    {
        // The layouts use different kernels, which round differently, so both are compared with the
        // same step in float64 (relative errors of whole tensors). Without batch normalization
        // channels-last is as accurate as NCHW (≈ 1e-6). With it, libtorch's channels-last kernel
        // sums the batch statistics less accurately (logits ≈ 6e-5 off exact instead of ≈ 5e-7), and
        // batch normalization's backward pass (a difference of means) magnifies rounding in the first
        // layer's gradient: 0.02–0.5% off exact in NCHW, 1–2% in channels-last, from one random
        // initialization to another. That is float32 noise, far below what changes training (see
        // TrainingWithAndWithoutTheSpeedupsReachesTheSameAccuracy).
        var (images, labels) = RealBatch(0, 64);
        random.manual_seed(3);
        using var nchw = NetworkCatalog.Create(name);
        using var channelsLast = NetworkCatalog.Create(name);
        using var exact = NetworkCatalog.Create(name);
        channelsLast.load_state_dict(nchw.state_dict());
        exact.load_state_dict(nchw.state_dict());
        exact.to(ScalarType.Float64);
        nchw.ChannelsLast = exact.ChannelsLast = false;
        using var images64 = images.to(ScalarType.Float64);

        // Dropout draws its mask in memory order, so on a 4-D activation (the strided network drops
        // feature maps) the two layouts drop different elements for the same seed: equally random,
        // not comparable. Those networks are compared without dropout.
        bool dropout = name != NetworkCatalog.Strided;
        var reference = Step(exact, images64, labels, dropoutSeed: 5, dropout);
        var expected = Step(nchw, images, labels, dropoutSeed: 5, dropout);
        var actual = Step(channelsLast, images, labels, dropoutSeed: 5, dropout);

        AssertWithin(logitTolerance, reference.Logits, expected.Logits, actual.Logits, "logits");
        foreach (var (parameter, gradient) in reference.Gradients)
            AssertWithin(gradientTolerance, gradient, expected.Gradients[parameter], actual.Gradients[parameter], $"gradient of {parameter}");
    }

    private static void AssertWithin(double tolerance, double[] exact, double[] nchw, double[] channelsLast, string what)
    {
        double nchwError = RelativeError(exact, nchw), channelsLastError = RelativeError(exact, channelsLast);
        Assert.True(channelsLastError <= tolerance, $"{what}: relative error {channelsLastError:G3} channels-last (tolerance {tolerance:G3}), {nchwError:G3} NCHW");
    }

    [Fact]
    public void ChannelsLastReadsTheImagesOfASliceNotTheStartOfItsStorage()
    {
        using var all = SplitTensors.Images(RealMnist.DataSet.Train, RealMnist.DataSet.Description.Normalization, 96);
        using var network = NetworkCatalog.Create(NetworkCatalog.Seed);
        network.eval();
        using var noGrad = no_grad();
        using var slice = all.narrow(0, 64, 32);          // a view 64 images into the storage
        using var copy = slice.contiguous().clone();      // the same images, storage of their own
        using var flat = all.view(96, 784).narrow(0, 64, 32);

        using var fromSlice = network.forward(slice);
        using var fromCopy = network.forward(copy);
        using var fromFlat = network.forward(flat);
        using var fromStart = network.forward(all.narrow(0, 0, 32));

        Assert.True(fromSlice.eq(fromCopy).all().item<bool>());
        Assert.True(fromFlat.eq(fromCopy).all().item<bool>());
        Assert.False(fromStart.eq(fromCopy).all().item<bool>());
    }

    [Theory]
    [InlineData(true, new long[] { 4, 1, 14, 56 })]
    [InlineData(false, new long[] { 4, 1, 14, 56 })]
    [InlineData(true, new long[] { 4, 100 })]
    [InlineData(false, new long[] { 4, 100 })]
    [InlineData(true, new long[] { 4, 3, 28, 28 })]
    [InlineData(false, new long[] { 4, 3, 28, 28 })]
    [InlineData(true, new long[] { 784 })]
    [InlineData(false, new long[] { 784 })]
    public void AnImageOfTheWrongSizeIsAClearErrorInEitherLayout(bool channelsLast, long[] shape)
    {
        using var network = NetworkCatalog.Create(NetworkCatalog.Seed);
        network.ChannelsLast = channelsLast;
        using var wrong = zeros(shape);

        var error = Assert.Throws<ArgumentException>(() => network.forward(wrong));

        Assert.Equal("input", error.ParamName);
        Assert.StartsWith($"Expected images of shape [N, 784] or [N, 1, 28, 28], got [{string.Join(", ", shape)}].", error.Message);
        using var flat = zeros(4, 784);
        using var images = zeros(4, 1, 28, 28);
        using var fromFlat = network.forward(flat);
        using var fromImages = network.forward(images);
        Assert.Equal([4L, 10L], fromFlat.shape);
        Assert.Equal([4L, 10L], fromImages.shape);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void TrainingWithAndWithoutTheSpeedupsReachesTheSameAccuracy()
    {
        var options = TrainingPresets.Get(TrainingPresets.Default) with { Epochs = 1, BatchSize = 64, Limit = 3_000, Threads = 2 };
        var fast = new ClassifierTrainer().Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, options);
        var plain = new ClassifierTrainer().Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, options with { Speedups = TrainingSpeedups.None });

        Assert.True(fast.Network.ChannelsLast);
        Assert.False(plain.Network.ChannelsLast);
        Assert.True(fast.BestValidationAccuracy > 0.9 && plain.BestValidationAccuracy > 0.9);
        Assert.True(Math.Abs(fast.BestValidationAccuracy - plain.BestValidationAccuracy) <= 0.02,
            $"with speed-ups {fast.BestValidationAccuracy:P2}, without {plain.BestValidationAccuracy:P2}");
        Assert.True(Math.Abs(fast.History[0].TrainLoss - plain.History[0].TrainLoss) <= 0.02 * plain.History[0].TrainLoss,
            $"training loss with speed-ups {fast.History[0].TrainLoss}, without {plain.History[0].TrainLoss}");
    }

    [Fact]
    public void ANetworkLoadedFromACheckpointIsLaidOutAsItsRunTrainedIt()
    {
        using var work = new TempDirectory();
        var options = TrainingPresets.Get(TrainingPresets.Seed) with { Epochs = 1, Limit = 1_000, ValidationCount = 200, Threads = 2, Speedups = TrainingSpeedups.None };
        var trained = new ClassifierTrainer(checkpointPath: work.File("checkpoint")).Train(RealMnist.DataSet.Train, RealMnist.DataSet.Description, options);

        var (plain, _) = TrainingCheckpoint.LoadBestNetwork(work.File("checkpoint"));

        Assert.False(plain.ChannelsLast);
        Assert.Equal(
            trained.Network.Layers.named_children().Select(c => c.name),
            plain.Layers.named_children().Select(c => c.name));
        Assert.Equal(["conv1", "relu1", "pool1"], plain.Layers.named_children().Select(c => c.name).Take(3));
    }

    [Fact]
    public void NativeMemoryReuseIsSupportedExactlyWhereTheCLibraryIsGlibc()
    {
        // The expectation comes from the C library mapped into this process, not from the OS name:
        // Linux with musl (Alpine) has no mallopt thresholds to set; README's platform, Linux x64, has glibc.
        bool glibc = OperatingSystem.IsLinux() && File.ReadLines("/proc/self/maps").Any(line => line.EndsWith("/libc.so.6", StringComparison.Ordinal));
        Assert.Equal(glibc, NativeMemoryReuse.IsSupported);
        Assert.Equal(glibc, NativeHeap.InUseBytes() is > 0);
        bool wasEnabled = NativeMemoryReuse.IsEnabled;
        try
        {
            // glibc's mallopt returns 1 for each threshold it accepted: Enable and Disable say whether both were.
            Assert.Equal(glibc, NativeMemoryReuse.Disable());
            Assert.False(NativeMemoryReuse.IsEnabled);
            Assert.Equal(glibc, NativeMemoryReuse.Enable());
            Assert.Equal(glibc, NativeMemoryReuse.IsEnabled);
        }
        finally
        {
            if (wasEnabled) NativeMemoryReuse.Enable();
            else NativeMemoryReuse.Disable();
        }
    }

    [Fact]
    public void UnknownSpeedupFlagsAreRejected()
    {
        var options = TrainingPresets.Get(TrainingPresets.Fast) with { Speedups = (TrainingSpeedups)64 };
        Assert.Contains("speed-up", Assert.Throws<ArgumentException>(options.Validate).Message);
    }
}
