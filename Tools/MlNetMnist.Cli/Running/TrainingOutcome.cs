using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Networks;
using MlNetMnist.ModelDefinition.Onnx;
using MlNetMnist.ModelDefinition.Training;

namespace MlNetMnist.Cli.Running;

/// <summary>
/// What training hands to export, <c>run.json</c> and the report: one network
/// (<see cref="TrainingResult"/>) or an ensemble of them (<see cref="EnsembleTrainingResult"/>),
/// seen through what both have.
/// </summary>
public sealed class TrainingOutcome
{
    private TrainingOutcome(TrainingResult? single, EnsembleTrainingResult? ensemble)
    {
        Single = single;
        Ensemble = ensemble;
    }

    /// <summary>The outcome of one network's training.</summary>
    public static TrainingOutcome Of(TrainingResult single) => new(single ?? throw new ArgumentNullException(nameof(single)), null);

    /// <summary>The outcome of an ensemble's training.</summary>
    public static TrainingOutcome Of(EnsembleTrainingResult ensemble) => new(null, ensemble ?? throw new ArgumentNullException(nameof(ensemble)));

    /// <summary>The single network's result; null for an ensemble.</summary>
    public TrainingResult? Single { get; }

    /// <summary>The ensemble's result; null for a single network.</summary>
    public EnsembleTrainingResult? Ensemble { get; }

    /// <summary>The options (of the ensemble: member <c>i</c> used seed <c>Seed + i</c>).</summary>
    public TrainingOptions Options => Single?.Options ?? Ensemble!.Options;

    /// <summary>The data set trained on.</summary>
    public DataSetDescription DataSet => Single?.DataSet ?? Ensemble!.DataSet;

    /// <summary>True when Ctrl+C stopped the training.</summary>
    public bool Cancelled => Single?.Cancelled ?? Ensemble!.Cancelled;

    /// <summary>Accuracy on the validation hold-out of what is exported: the best epoch's, or the ensemble's.</summary>
    public double ValidationAccuracy => Single?.BestValidationAccuracy ?? Ensemble!.ValidationAccuracy;

    /// <summary>Seconds of training, all members included.</summary>
    public double TrainSeconds => Single?.TrainSeconds ?? Ensemble!.TrainSeconds;

    /// <summary>The architecture exported: the network's name, or the ensemble's (<c>wide×3</c>, <c>wide+strided+wide</c>).</summary>
    public string Architecture => Single?.Options.MemberNetwork ?? Ensemble!.Ensemble?.Architecture ?? Options.EnsembleArchitecture;

    /// <summary>The exported network's best epoch; 0 for an ensemble (each member has its own).</summary>
    public int BestEpoch => Single?.BestEpoch ?? 0;

    /// <summary>
    /// Every completed epoch in the order trained: a network's, or the members' one after another,
    /// numbered on from one member to the next (member 2's first epoch of 8 is epoch 9).
    /// </summary>
    public IReadOnlyList<EpochResult> History => [.. MemberHistory.Select(e => e.Epoch)];

    /// <summary><see cref="History"/> with the ensemble member (1-based) that trained each epoch; 0 for a single network.</summary>
    public IReadOnlyList<(int Member, EpochResult Epoch)> MemberHistory
    {
        get
        {
            if (Single is not null) return [.. Single.History.Select(e => (0, e))];
            var all = new List<(int, EpochResult)>();
            for (int m = 0; m < Ensemble!.Members.Count; m++)
                all.AddRange(Ensemble.Members[m].History.Select(e => (m + 1, e with { Epoch = all.Count + 1 })));
            return all;
        }
    }

    /// <summary>The temperature fitted by <see cref="Calibrate"/>; null until then, and when the options ask for none.</summary>
    public Calibration? Calibration { get; private set; }

    /// <summary>
    /// Fits the temperature of what was trained on the images its run held out of
    /// <paramref name="trainingSet"/> and applies it (<see cref="TemperatureScaling"/>), once; does
    /// nothing when <see cref="TrainingOptions.Calibrate"/> is false.
    /// </summary>
    /// <exception cref="InvalidOperationException">The training was cancelled.</exception>
    public Calibration? Calibrate(ImageSplit trainingSet)
    {
        if (Cancelled) throw new InvalidOperationException("A cancelled training has nothing to calibrate.");
        if (!Options.Calibrate || Calibration is not null) return Calibration;
        return Calibration = Single is not null
            ? TemperatureScaling.Calibrate(Single.Network, trainingSet, DataSet, Options)
            : TemperatureScaling.Calibrate(Ensemble!.Ensemble!, trainingSet, DataSet, Options);
    }

    /// <summary>The ONNX model of what was trained, and its parity check against TorchSharp on <paramref name="normalizedImages"/>.</summary>
    /// <exception cref="InvalidOperationException">The training was cancelled.</exception>
    public (byte[] Onnx, OnnxParityResult Parity) Export(OnnxExportOptions options, float[] normalizedImages)
    {
        if (Cancelled) throw new InvalidOperationException("A cancelled training has nothing to export.");
        if (Single is not null)
        {
            var bytes = OnnxExporter.ToBytes(Single.Network, options);
            return (bytes, OnnxParityCheck.Run(Single.Network, bytes, normalizedImages));
        }
        ClassifierEnsemble ensemble = Ensemble!.Ensemble!;
        var ensembleBytes = OnnxExporter.ToBytes(ensemble, options);
        return (ensembleBytes, OnnxParityCheck.Run(ensemble, ensembleBytes, normalizedImages));
    }
}
