using System.ComponentModel;
using System.Text.Json;
using MlNetMnist.Cli.Benchmarks;
using MlNetMnist.Cli.Output;
using MlNetMnist.Cli.Running;
using MlNetMnist.ModelDefinition.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli.Commands;

/// <summary>
/// <c>mnist bench-side SIDE</c> (hidden): measures one TorchSharp side of the training comparison
/// in this process and prints <c>{"imagesPerSecond": …}</c>. <c>mnist bench</c> runs it as a child
/// process per side and round.
/// </summary>
public sealed class BenchSideCommand : AsyncCommand<BenchSideCommand.Settings>
{
    /// <summary>Options of <c>mnist bench-side</c>.</summary>
    public sealed class Settings : DataSettings
    {
        /// <summary>The side to measure.</summary>
        [CommandArgument(0, "<SIDE>")]
        [Description("The side to measure, such as Train, BareLoop or PlainTorchSharp.")]
        public string Side { get; init; } = "";

        /// <summary>The preset whose network, batch size and optimizer to use.</summary>
        [CommandOption("--preset <NAME>")]
        [DefaultValue(TrainingPresets.Default)]
        public string Preset { get; init; } = TrainingPresets.Default;

        /// <summary>Images to time.</summary>
        [CommandOption("--images <N>")]
        [DefaultValue(20_480)]
        public int Images { get; init; } = 20_480;

        /// <inheritdoc />
        public override ValidationResult Validate()
        {
            if (!TrainingSide.All.Any(side => side.Key == Side && side.Kind != TrainingSideKind.PyTorch))
                return ValidationResult.Error($"Unknown side '{Side}'. Known: {string.Join(", ", TrainingSide.All.Where(s => s.Kind != TrainingSideKind.PyTorch).Select(s => s.Key))}.");
            if (!TrainingPresets.Names.Contains(Preset))
                return ValidationResult.Error($"Unknown preset '{Preset}'. Known presets: {string.Join(", ", TrainingPresets.Names)}.");
            return Images < 1_000 ? ValidationResult.Error("--images must be at least 1000.") : base.Validate();
        }
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var data = await new Stages(ConsoleUiFactory.Create(settings)).LoadDataAsync(settings, cancellationToken);
        double imagesPerSecond = TrainingBenchmark.Measure(TrainingSide.Get(settings.Side), data, settings.Preset, settings.Images, settings.Threads ?? Environment.ProcessorCount);
        Console.Out.WriteLine(JsonSerializer.Serialize(new { imagesPerSecond }, JsonFiles.Options).ReplaceLineEndings(" "));
        return ExitCodes.Success;
    }
}
