using System.ComponentModel;
using System.Text.Json;
using MlNetMnist.Cli.Output;
using MlNetMnist.Cli.Running;
using MlNetMnist.Pipelines;
using MlNetMnist.Pipelines.Images;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli.Commands;

/// <summary><c>mnist predict</c>: classify image files or test images with a saved model.zip.</summary>
public sealed class PredictCommand : AsyncCommand<PredictCommand.Settings>
{
    /// <summary>Options of <c>mnist predict</c>.</summary>
    public sealed class Settings : ModelSettings
    {
        /// <summary>PNG or JPEG files to classify.</summary>
        [CommandArgument(0, "[IMAGES]")]
        [Description("PNG or JPEG files, each one handwritten digit (dark on light or light on dark).")]
        public string[] Images { get; init; } = [];

        /// <summary>Indices of MNIST test images to classify.</summary>
        [CommandOption("--test-index <N>")]
        [Description("Classify MNIST test image N (0–9999); repeatable.")]
        public int[] TestIndices { get; init; } = [];

        /// <inheritdoc />
        public override ValidationResult Validate()
        {
            if (Images.Length == 0 && TestIndices.Length == 0)
                return ValidationResult.Error("Give image files to classify, or --test-index N.");
            return base.Validate();
        }
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var model = MnistModel.Open(settings.Model!, settings.Threads);
        using var engine = model.CreatePredictionEngine();
        var rows = new List<(string Source, int? Label, DigitPrediction Prediction)>();
        foreach (var path in settings.Images)
        {
            var input = DigitImageLoader.Load(path);
            rows.Add((path, null, engine.Predict(input)));
        }
        if (settings.TestIndices.Length > 0)
        {
            var data = await new Stages(ConsoleUiFactory.Create(settings)).LoadDataAsync(settings, cancellationToken);
            foreach (var index in settings.TestIndices)
            {
                if (index < 0 || index >= data.Test.Count)
                    throw new UserInputException($"--test-index {index} is outside 0–{data.Test.Count - 1}.");
                rows.Add(($"test image {index}", data.Test.Labels[index], engine.Predict(DigitInput.FromBytes(data.Test.Image(index)))));
            }
        }

        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(rows.Select(r => new
            {
                source = r.Source, label = r.Label, digit = r.Prediction.PredictedDigit, probability = r.Prediction.Probability, probabilities = r.Prediction.Score,
            }), JsonFiles.Options).ReplaceLineEndings(" "));
            return ExitCodes.Success;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumn("input").AddColumn("digit").AddColumn("probability").AddColumn("runner-up");
        foreach (var (source, label, prediction) in rows)
        {
            var ranked = prediction.Score.Select((p, d) => (p, d)).OrderByDescending(x => x.p).ToList();
            string digit = label is int l ? $"{prediction.PredictedDigit} ({(l == prediction.PredictedDigit ? "[green]right[/]" : $"[red]wrong, it is {l}[/]")})" : $"{prediction.PredictedDigit}";
            table.AddRow(Markup.Escape(source), digit, $"{prediction.Probability:P1}", $"{ranked[1].d} ({ranked[1].p:P1})");
        }
        AnsiConsole.Write(table);
        return ExitCodes.Success;
    }
}
