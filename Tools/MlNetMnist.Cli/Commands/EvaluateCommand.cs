using MlNetMnist.Cli.Output;
using MlNetMnist.Cli.Running;
using MlNetMnist.Pipelines;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli.Commands;

/// <summary><c>mnist evaluate</c>: score the test set with a saved model.zip and write the report.</summary>
public sealed class EvaluateCommand : AsyncCommand<EvaluateCommand.Settings>
{
    /// <summary>Options of <c>mnist evaluate</c>.</summary>
    public sealed class Settings : ModelSettings
    {
        /// <summary>Where the report goes.</summary>
        [Spectre.Console.Cli.CommandOption("-o|--out <DIR>")]
        [System.ComponentModel.Description("Folder for metrics.json and the report. Default: the model's folder.")]
        public string? Out { get; init; }
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var ui = ConsoleUiFactory.Create(settings);
        var stages = new Stages(ui);
        using var model = MnistModel.Open(settings.Model!, settings.Threads);
        var data = await stages.LoadDataAsync(settings, cancellationToken);
        var evaluation = stages.Evaluate(model, data.Test, settings.Threads, cancellationToken);
        var folder = RunFolder.Existing(settings.Out ?? Path.GetDirectoryName(Path.GetFullPath(settings.Model!))!);
        var files = RunSummary.WriteReport(folder, evaluation, data.Test, null, stages, model.Metadata);
        RunSummary.PrintEvaluation(settings, folder, evaluation, files, model.Metadata.Labels);
        return ExitCodes.Success;
    }
}
