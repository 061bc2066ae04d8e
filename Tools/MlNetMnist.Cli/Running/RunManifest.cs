using MlNetMnist.ModelDefinition.Training;

namespace MlNetMnist.Cli.Running;

/// <summary>The content of <c>run.json</c>; every field is documented in docs/run-folder.md.</summary>
public sealed record RunManifest
{
    /// <summary>The preset the run started from.</summary>
    public required string Preset { get; init; }

    /// <summary>The full training configuration.</summary>
    public required TrainingOptions Options { get; init; }

    /// <summary>Epochs completed (of an ensemble: by all members).</summary>
    public required int Epochs { get; init; }

    /// <summary>Seconds of training (all epochs, resumed ones included; validation included).</summary>
    public required double TrainSeconds { get; init; }

    /// <summary>The epoch whose weights were exported; 0 for an ensemble (see <see cref="Members"/>).</summary>
    public required int BestEpoch { get; init; }

    /// <summary>Validation accuracy (0–1) of what was exported: that epoch's, or the ensemble's.</summary>
    public required double ValidationAccuracy { get; init; }

    /// <summary>Per-epoch history; of an ensemble, the members' one after another, numbered on.</summary>
    public required IReadOnlyList<EpochResult> History { get; init; }

    /// <summary>The members of an ensemble, in order; null for one network.</summary>
    public IReadOnlyList<MemberSummary>? Members { get; init; }

    /// <summary>Test-set accuracy from the ML.NET evaluation (0–1), when evaluated.</summary>
    public double? TestAccuracy { get; init; }

    /// <summary>The export's parity check, when exported.</summary>
    public OnnxParitySummary? OnnxParity { get; init; }

    /// <summary>The temperature the exported model's logits are divided by, fitted on the validation hold-out; null when not calibrated.</summary>
    public MlNetMnist.ModelDefinition.Training.Calibration? Calibration { get; init; }

    /// <summary>CPU threads used.</summary>
    public required int Threads { get; init; }

    /// <summary>Versions of the runtime and libraries.</summary>
    public required IReadOnlyDictionary<string, string> Versions { get; init; }

    /// <summary>Where the data came from and its hashes.</summary>
    public required DataSetSummary DataSet { get; init; }

    /// <summary>Seconds per stage: load, train, export, build, evaluate, report.</summary>
    public required IReadOnlyDictionary<string, double> StageSeconds { get; init; }

    /// <summary>Memory of the process: its peak working set and its working set after each epoch.</summary>
    public MemorySummary? Memory { get; init; }

    /// <summary>When the run finished.</summary>
    public required DateTimeOffset FinishedUtc { get; init; }
}

/// <summary>The parity check of the exported ONNX model against TorchSharp.</summary>
/// <param name="Images">Images compared.</param>
/// <param name="MaxAbsDiff">Largest absolute difference of the probabilities.</param>
/// <param name="MaxLogitAbsDiff">Largest absolute difference of the logits.</param>
/// <param name="ArgmaxAgreement">Share of images with the same predicted class (0–1).</param>
public sealed record OnnxParitySummary(int Images, double MaxAbsDiff, double MaxLogitAbsDiff, double ArgmaxAgreement);

/// <summary>One member of an ensemble run.</summary>
/// <param name="Index">0-based position; its checkpoint is <c>member{Index}.checkpoint</c>.</param>
/// <param name="Seed">Its seed: the run's seed + <paramref name="Index"/>.</param>
/// <param name="Network">Its network's name in the catalog.</param>
/// <param name="Epochs">Epochs it completed.</param>
/// <param name="BestEpoch">The epoch whose weights are in the ensemble.</param>
/// <param name="ValidationAccuracy">That epoch's validation accuracy (0–1).</param>
/// <param name="TrainSeconds">Its seconds of training.</param>
public sealed record MemberSummary(int Index, int Seed, string Network, int Epochs, int BestEpoch, double ValidationAccuracy, double TrainSeconds);

/// <summary>Memory use of a run, in bytes.</summary>
/// <param name="PeakWorkingSetBytes">The process's peak working set (resident memory) over the whole run.</param>
/// <param name="EpochWorkingSetBytes">The working set at the end of each epoch trained in this process.</param>
/// <param name="EpochNativeHeapBytes">
/// The native heap in use (glibc's <c>mallinfo2</c>) at the end of each epoch trained in this
/// process: unlike the working set it does not count the freed memory the allocator keeps for
/// reuse, so it grows only with a leak. Null where the C library is not glibc.
/// </param>
public sealed record MemorySummary(long PeakWorkingSetBytes, IReadOnlyList<long> EpochWorkingSetBytes, IReadOnlyList<long>? EpochNativeHeapBytes = null);

/// <summary>The data set a run used.</summary>
/// <param name="Directory">Where the files were read from.</param>
/// <param name="Origin">How the folder was found (explicit, environmentVariable, cache, downloaded).</param>
/// <param name="Verified">True when the files are the real MNIST (all four SHA-256 match the catalog).</param>
/// <param name="Description">What the data set is: name, format, image shape, class names, normalization, where each split came from.</param>
/// <param name="SkippedFiles">Image files left out with <c>--skip-bad-images</c>, each with its reason.</param>
public sealed record DataSetSummary(string Directory, string Origin, bool Verified, MlNetMnist.Data.DataSetDescription Description, IReadOnlyList<string> SkippedFiles);
