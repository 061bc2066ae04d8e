using System.Diagnostics;
using MlNetMnist.Cli.Commands;
using MlNetMnist.Cli.Output;
using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Networks;
using MlNetMnist.ModelDefinition.Onnx;
using MlNetMnist.ModelDefinition.Training;
using MlNetMnist.Pipelines;
using MlNetMnist.Pipelines.Evaluation;

namespace MlNetMnist.Cli.Running;

/// <summary>
/// The steps of the pipeline (data → train → export → build → evaluate), shared by <c>run</c>
/// and the single-step commands. Each step reports through the console UI and is timed.
/// </summary>
public sealed class Stages(IConsoleUi ui)
{
    /// <summary>Images the parity check compares (from the end of the training set: the validation images).</summary>
    public const int ParityImages = 1_000;

    /// <summary>Seconds per step, in the order run.</summary>
    public Dictionary<string, double> Seconds { get; } = new();

    /// <summary>The process's working set after each epoch of the last <see cref="Train"/>, in bytes.</summary>
    public List<long> EpochWorkingSets { get; } = new();

    /// <summary>The native heap in use after each epoch of the last <see cref="Train"/>, in bytes (<see cref="NativeHeap"/>); empty where unknown.</summary>
    public List<long> EpochNativeHeap { get; } = new();

    /// <summary>Where the last <see cref="LoadDataAsync"/> found the data.</summary>
    public DataSetSummary? DataSource { get; private set; }

    /// <summary>Finds (or downloads) and loads the data set: MNIST, another IDX set, or image folders.</summary>
    public async Task<ImageDataSet> LoadDataAsync(DataSettings settings, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var locator = new MnistDataLocator { AllowDownload = !settings.NoDownload };
        var (directory, origin) = await ui.DownloadAsync(progress => locator.LocateAsync(settings.DataDir, progress, cancellationToken));
        var data = ui.Decode(progress => DataSetLoader.Load(directory, settings.ToDataSetOptions(), progress, cancellationToken));
        var d = data.Description;
        var counts = DataSetCounts.Of(data);
        if (d.Format == DataSetFormat.ImageFolder)
            foreach (var line in counts.Lines().Where(l => !l.StartsWith("Warning: ", StringComparison.Ordinal))) ui.Info(line); // the warning is a notice
        foreach (var notice in data.Notices) ui.Notice(notice);
        Seconds["load"] = clock.Elapsed.TotalSeconds;
        string kind = d.IsVerifiedMnist ? "SHA-256 verified" : d.Format == DataSetFormat.Idx ? "IDX files" : "image folders";
        ui.Step("data", $"{d.Name}: {data.Train.Count:N0} training + {data.Test.Count:N0} test images of {d.Shape}, {d.ClassCount} classes, from {directory} ({Describe(origin)}, {kind}) in {clock.Elapsed.TotalSeconds:F1} s");
        DataSource = new DataSetSummary(directory, origin.ToString(), d.IsVerifiedMnist, d, data.SkippedFiles);
        return data;
    }

    /// <summary>
    /// Trains (or resumes) a network, or an ensemble when the options ask for more than one member
    /// (or the folder holds an ensemble's checkpoints), writing the checkpoints into <paramref name="folder"/>.
    /// </summary>
    public TrainingOutcome Train(ImageDataSet data, TrainingOptions options, RunFolder folder, bool resume, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var outcome = (resume ? folder.HoldsEnsemble() : options.EnsembleMembers > 1)
            ? TrainingOutcome.Of(TrainEnsemble(data, options, folder, resume, cancellationToken))
            : TrainingOutcome.Of(TrainNetwork(data, options, folder, resume, cancellationToken));
        Seconds["train"] = clock.Elapsed.TotalSeconds;
        if (outcome.Single is { BestEpoch: > 0 } single)
            ui.Info($"best epoch {single.BestEpoch}: validation accuracy {single.BestValidationAccuracy:P2} on {single.ValidationCount:N0} held-out training images; {single.TrainSeconds:F1} s of training");
        else if (outcome.Ensemble is { Cancelled: false } ensemble)
            ui.Info($"ensemble of {ensemble.Members.Count}: validation accuracy {ensemble.ValidationAccuracy:P2} on {ensemble.Members[0].ValidationCount:N0} held-out training images (members {string.Join(", ", ensemble.Members.Select(m => m.BestValidationAccuracy.ToString("P2")))}); {ensemble.TrainSeconds:F1} s of training");
        return outcome;
    }

    private TrainingResult TrainNetwork(ImageDataSet data, TrainingOptions options, RunFolder folder, bool resume, CancellationToken cancellationToken)
    {
        int firstEpoch = 1;
        if (resume)
        {
            var state = TrainingCheckpoint.ReadState(folder.Checkpoint);
            options = state.Options with { Threads = options.Threads };
            firstEpoch = state.EpochsCompleted + 1;
            ui.Notice($"resuming {folder.Checkpoint} after epoch {state.EpochsCompleted} of {state.Options.Epochs} (its own options apply)");
        }
        else folder.DeleteOtherCheckpoints(ensemble: false);
        ui.Step("train", $"{options.MemberNetwork} network, {options.Epochs} epochs, batch {options.BatchSize}, lr {options.LearningRate}, seed {options.Seed}, {options.Threads ?? Environment.ProcessorCount} threads");
        return ui.Train(options.Epochs, firstEpoch, observer =>
        {
            var observed = new ClassifierTrainer(new MemoryRecordingObserver(observer, EpochWorkingSets, EpochNativeHeap), folder.Checkpoint);
            return resume
                ? observed.Resume(folder.Checkpoint, data.Train, options.Threads, cancellationToken)
                : observed.Train(data.Train, data.Description, options, cancellationToken);
        });
    }

    private EnsembleTrainingResult TrainEnsemble(ImageDataSet data, TrainingOptions options, RunFolder folder, bool resume, CancellationToken cancellationToken)
    {
        var shown = resume ? TrainingCheckpoint.ReadState(folder.MemberCheckpoint(0)).Options with { Threads = options.Threads } : options;
        if (!resume) folder.DeleteOtherCheckpoints(ensemble: true);
        ui.Step("train", $"ensemble of {shown.EnsembleMembers} networks ({shown.EnsembleArchitecture}; seeds {shown.Seed}–{shown.Seed + shown.EnsembleMembers - 1}), {shown.Epochs} epochs each, batch {shown.BatchSize}, lr {shown.LearningRate}, {shown.Threads ?? Environment.ProcessorCount} threads");
        var trainer = new EnsembleTrainer(new MemberProgress(ui, this), folder.MemberCheckpoint);
        return resume
            ? trainer.Resume(data.Train, options.Threads, cancellationToken)
            : trainer.Train(data.Train, data.Description, options, cancellationToken);
    }

    /// <summary>Shows each member's training in its own progress display, preceded by a line naming it.</summary>
    private sealed class MemberProgress(IConsoleUi ui, Stages stages) : IEnsembleObserver
    {
        public TrainingResult RunMember(EnsembleMember member, Func<ITrainingObserver?, TrainingResult> train)
        {
            string name = $"{member.Index + 1} of {member.Count} (seed {member.Options.Seed})";
            if (member.IsComplete)
            {
                ui.Step("member", $"{name}: finished in {member.Checkpoint}, loaded");
                return train(null);
            }
            if (member.EpochsCompleted > 0)
                ui.Notice($"resuming {member.Checkpoint} after epoch {member.EpochsCompleted} of {member.Options.Epochs}");
            ui.Step("member", name);
            var result = ui.Train(member.Options.Epochs, member.EpochsCompleted + 1,
                observer => train(new MemoryRecordingObserver(observer, stages.EpochWorkingSets, stages.EpochNativeHeap)));
            if (result.BestEpoch > 0 && !result.Cancelled)
                ui.Info($"member {member.Index + 1}: best epoch {result.BestEpoch}, validation accuracy {result.BestValidationAccuracy:P2}, {result.TrainSeconds:F1} s");
            return result;
        }
    }

    /// <summary>
    /// Calibrates what was trained on the images its run held out of <paramref name="trainingSet"/>
    /// (unless its options say not to), exports it to <c>model.onnx</c> and checks it against
    /// TorchSharp with ONNX Runtime on the last images of <paramref name="trainingSet"/>.
    /// </summary>
    /// <param name="threads">libtorch threads for the check (the CLI owns its process; training restores the count it found).</param>
    /// <exception cref="OnnxParityException">The exported model disagrees with the network.</exception>
    public OnnxParityResult Export(TrainingOutcome training, ImageSplit trainingSet, RunFolder folder, int? threads)
    {
        var clock = Stopwatch.StartNew();
        if (threads is int torchThreads) TorchSharp.torch.set_num_threads(torchThreads);
        if (training.Calibrate(trainingSet) is { } calibration)
            ui.Step("calibrate", $"temperature {calibration.Temperature:0.###} fitted on {calibration.Images:N0} held-out training images: their log-loss {calibration.LogLossBefore:F4} → {calibration.LogLossAfter:F4} (predictions unchanged)");
        int count = Math.Min(ParityImages, trainingSet.Count);
        var images = training.DataSet.Normalization.Normalize(trainingSet, trainingSet.Count - count, count);
        var (bytes, parity) = training.Export(OnnxExportOptions.For(training.DataSet, training.ValidationAccuracy), images);
        AtomicFile.WriteAllBytes(folder.ModelOnnx, bytes);
        Seconds["export"] = clock.Elapsed.TotalSeconds;
        ui.Step("export", $"{folder.ModelOnnx} ({bytes.Length / 1024.0:N0} KiB{(training.Ensemble is null ? "" : $", {training.Architecture} in one graph")}); ONNX Runtime vs TorchSharp on {parity.Images:N0} images: max |Δp| {parity.MaxAbsDiff:E1}, same class {parity.ArgmaxAgreement:P2}");
        return parity;
    }

    /// <summary>Builds the ML.NET scoring pipeline around <c>model.onnx</c> and saves <c>model.zip</c>.</summary>
    public MnistModel Build(RunFolder folder, int? threads)
    {
        var clock = Stopwatch.StartNew();
        var model = MnistModel.FromOnnx(folder.ModelOnnx, threads);
        model.Save(folder.ModelZip);
        Seconds["build"] = clock.Elapsed.TotalSeconds;
        ui.Step("build", $"{folder.ModelZip} (ML.NET pipeline: normalize → ONNX → Score, {new FileInfo(folder.ModelZip).Length / 1024.0:N0} KiB)");
        return model;
    }

    /// <summary>Scores and evaluates <paramref name="split"/> through the ML.NET pipeline.</summary>
    public MnistEvaluation Evaluate(MnistModel model, ImageSplit split, int? threads, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var evaluation = ui.Scan("evaluate", split.Count, progress => MnistEvaluator.Evaluate(model, split, progress, cancellationToken, threads));
        Seconds["evaluate"] = clock.Elapsed.TotalSeconds;
        ui.Step("evaluate", $"{evaluation.Count:N0} test images: accuracy {evaluation.Accuracy:P2}, macro accuracy {evaluation.MacroAccuracy:P2}, log-loss {evaluation.LogLoss:F4} ({clock.Elapsed.TotalSeconds:F1} s)");
        return evaluation;
    }

    /// <summary>Passes progress on and records the working set and the native heap in use at the end of every epoch.</summary>
    private sealed class MemoryRecordingObserver(ITrainingObserver inner, List<long> workingSets, List<long> nativeHeap) : ITrainingObserver
    {
        public void OnBatch(BatchProgress progress) => inner.OnBatch(progress);

        public void OnEpoch(EpochResult result)
        {
            workingSets.Add(Environment.WorkingSet);
            if (NativeHeap.InUseBytes() is { } inUse) nativeHeap.Add(inUse);
            inner.OnEpoch(result);
        }
    }

    private static string Describe(MnistDataOrigin origin) => origin switch
    {
        MnistDataOrigin.Explicit => "--data-dir",
        MnistDataOrigin.EnvironmentVariable => MnistDataLocator.EnvironmentVariable,
        MnistDataOrigin.Cache => "cache",
        _ => "downloaded",
    };
}
