using System.ComponentModel;
using System.Text.Json;
using MlNetMnist.Cli.Benchmarks;
using MlNetMnist.Cli.Output;
using MlNetMnist.Cli.Running;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli.Commands;

/// <summary>
/// <c>mnist bench-scoring MODEL.onnx</c> (hidden): the scoring half of <c>mnist bench</c>, in a
/// process that never loads libtorch; prints the figures as one JSON object.
/// </summary>
public sealed class BenchScoringCommand : AsyncCommand<BenchScoringCommand.Settings>
{
    /// <summary>Options of <c>mnist bench-scoring</c>.</summary>
    public sealed class Settings : DataSettings
    {
        /// <summary>The exported model to score with.</summary>
        [CommandArgument(0, "<MODEL>")]
        [Description("An ONNX model exported by mnist.")]
        public string Model { get; init; } = "";

        /// <summary>Test images per throughput measurement.</summary>
        [CommandOption("--images <N>")]
        [DefaultValue(10_000)]
        public int Images { get; init; } = 10_000;

        /// <summary>Single-image calls per side and round.</summary>
        [CommandOption("--singles <N>")]
        [DefaultValue(3_000)]
        public int Singles { get; init; } = 3_000;

        /// <summary>Measured rounds after the warm-up round.</summary>
        [CommandOption("--rounds <N>")]
        [DefaultValue(3)]
        public int Rounds { get; init; } = 3;

        /// <inheritdoc />
        public override ValidationResult Validate()
        {
            if (!File.Exists(Model)) return ValidationResult.Error($"{Model}: model file not found.");
            if (Images < 256 || Singles < 50 || Rounds < 1)
                return ValidationResult.Error("--images must be at least 256, --singles at least 50, --rounds at least 1.");
            return base.Validate();
        }
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var data = await new Stages(ConsoleUiFactory.Create(settings)).LoadDataAsync(settings, cancellationToken);
        var figures = ScoringBenchmark.Measure(settings.Model, data.Test, settings.Images, settings.Singles, settings.Rounds, settings.Threads ?? Environment.ProcessorCount);
        Console.Out.WriteLine(JsonSerializer.Serialize(figures).ReplaceLineEndings(" "));
        return ExitCodes.Success;
    }
}
