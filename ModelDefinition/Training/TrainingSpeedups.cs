namespace MlNetMnist.ModelDefinition.Training;

/// <summary>
/// Settings that change how fast training runs on a CPU, never what it computes: the same seed
/// gives the same accuracy with any combination. All are on by default; <see cref="None"/> is plain
/// TorchSharp, kept as a switch for comparison and for platforms where a setting misbehaves.
/// </summary>
/// <remarks>What each one buys on a 2-core AVX-512 machine is in docs/benchmarks.md (<c>mnist bench</c> measures it).</remarks>
[Flags]
public enum TrainingSpeedups
{
    /// <summary>Plain TorchSharp: NCHW tensors, the network in its textbook layer order, glibc's default allocator settings.</summary>
    None = 0,

    /// <summary>
    /// Convolutions and pooling run on channels-last (NHWC) activations
    /// (<see cref="Networks.ClassifierNetwork.ChannelsLast"/>): libtorch's oneDNN convolutions then skip
    /// their reorders to and from a blocked layout, and max pooling uses its vectorized kernel.
    /// </summary>
    ChannelsLast = 1,

    /// <summary>
    /// glibc keeps the memory of freed tensors for the next batch instead of unmapping it and
    /// faulting it in again (<see cref="NativeMemoryReuse"/>). Process-wide; Linux with glibc only.
    /// </summary>
    ReuseNativeMemory = 2,

    /// <summary>
    /// Each ReLU runs in place after its max pooling instead of before it
    /// (<see cref="Networks.NetworkCatalog.Create(string, MlNetMnist.Data.ImageShape, int, bool)"/>): max pooling and ReLU commute, so
    /// outputs and gradients are identical, on a quarter of the elements.
    /// </summary>
    ActivationAfterPooling = 4,

    /// <summary>Every speed-up.</summary>
    All = ChannelsLast | ReuseNativeMemory | ActivationAfterPooling,
}
