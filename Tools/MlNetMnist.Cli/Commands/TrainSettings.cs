using System.ComponentModel;
using MlNetMnist.ModelDefinition.Networks;
using MlNetMnist.ModelDefinition.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli.Commands;

/// <summary>Options of commands that train.</summary>
public class TrainSettings : DataSettings
{
    /// <summary>Output folder.</summary>
    [CommandOption("-o|--out <DIR>")]
    [Description("Output folder. Default: a new timestamped folder under runs/.")]
    public string? Out { get; init; }

    /// <summary>Named configuration.</summary>
    [CommandOption("-p|--preset <NAME>")]
    [Description("default (≥ 99.5% in ≤ 100 s of training), best (one wide network, ≈ 99.7% in ≤ 10 min), ensemble (wide, strided and wide networks with best's options but weight decay 1e-4, in one model, ≈ 99.75% in ≤ 30 min), seed (the tutorial's network), fast (a smoke run under a minute).")]
    [DefaultValue(TrainingPresets.Default)]
    public string Preset { get; init; } = TrainingPresets.Default;

    /// <summary>Overrides the preset's epochs.</summary>
    [CommandOption("--epochs <N>")]
    [Description("Passes over the training images (overrides the preset).")]
    public int? Epochs { get; init; }

    /// <summary>Overrides the preset's network.</summary>
    [CommandOption("--network <NAME>")]
    [Description($"The network to train (overrides the preset): {NetworkCatalog.Seed}, {NetworkCatalog.Default}, {NetworkCatalog.Wide} or {NetworkCatalog.Strided}; an ensemble may name one per member in turn, joined by '+' ({NetworkCatalog.Wide}+{NetworkCatalog.Strided}).")]
    public string? Network { get; init; }

    /// <summary>Overrides the preset's batch size.</summary>
    [CommandOption("--batch-size <N>")]
    [Description("Images per optimizer step (overrides the preset).")]
    public int? BatchSize { get; init; }

    /// <summary>Overrides the preset's peak learning rate.</summary>
    [CommandOption("--lr <RATE>")]
    [Description("Peak learning rate (overrides the preset).")]
    public double? LearningRate { get; init; }

    /// <summary>Overrides the preset's number of ensemble members.</summary>
    [CommandOption("--ensemble <N>")]
    [Description("Train N networks (seeds seed, seed+1, …) and export them as one model averaging their probabilities (overrides the preset; 1 = one network).")]
    public int? Ensemble { get; init; }

    /// <summary>Overrides the seed.</summary>
    [CommandOption("--seed <N>")]
    [Description("Seed of every random choice; the same seed, machine and thread count give the same model.")]
    public int? Seed { get; init; }

    /// <summary>Use only the first N training images.</summary>
    [CommandOption("--limit <N>")]
    [Description("Use only the first N training images (validation included).")]
    public int? Limit { get; init; }

    /// <summary>Train with plain TorchSharp settings.</summary>
    [CommandOption("--no-speedups")]
    [Description("Train with plain TorchSharp settings (NCHW, textbook layer order, default allocator): same result, slower. For comparison.")]
    public bool NoSpeedups { get; init; }

    /// <summary>Resume the run in the output folder from its checkpoint.</summary>
    [CommandOption("--resume")]
    [Description("Continue the run in --out from its checkpoint (written after every epoch).")]
    public bool Resume { get; init; }

    /// <summary>Write into a non-empty folder that is not a previous run.</summary>
    [CommandOption("--force")]
    [Description("Write into --out even if it is a non-empty folder that is not a previous run.")]
    public bool Force { get; init; }

    /// <summary>The training options: the preset with the overrides applied.</summary>
    public TrainingOptions ToOptions()
    {
        var options = TrainingPresets.Get(Preset);
        return options with
        {
            Network = Network ?? options.Network,
            Epochs = Epochs ?? options.Epochs,
            BatchSize = BatchSize ?? options.BatchSize,
            LearningRate = LearningRate ?? options.LearningRate,
            Seed = Seed ?? options.Seed,
            EnsembleMembers = Ensemble ?? options.EnsembleMembers,
            Limit = Limit ?? options.Limit,
            Threads = Threads ?? options.Threads,
            Speedups = NoSpeedups ? TrainingSpeedups.None : options.Speedups,
        };
    }

    /// <inheritdoc />
    public override ValidationResult Validate()
    {
        if (!TrainingPresets.Names.Contains(Preset))
            return ValidationResult.Error($"Unknown preset '{Preset}'. Known presets: {string.Join(", ", TrainingPresets.Names)}.");
        if (Network?.Contains(TrainingOptions.NetworkSeparator) == true && (Ensemble ?? TrainingPresets.Get(Preset).EnsembleMembers) == 1)
            return ValidationResult.Error($"--network {Network} names a network per ensemble member, but one network is trained: add --ensemble {Network.Split(TrainingOptions.NetworkSeparator).Length} to train them as an ensemble.");
        if (Resume && Out is null)
            return ValidationResult.Error("--resume needs --out: the folder of the run to continue.");
        try
        {
            ToOptions().Validate();
        }
        catch (ArgumentException e)
        {
            return ValidationResult.Error(e.Message);
        }
        return base.Validate();
    }
}
