using System.ComponentModel;
using MlNetMnist.Cli.Output;
using MlNetMnist.Cli.Running;
using MlNetMnist.Pipelines.Reports;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli.Commands;

/// <summary><c>mnist report</c>: render a run's report again from its <c>metrics.json</c> (and the test images).</summary>
public sealed class ReportCommand : AsyncCommand<ReportCommand.Settings>
{
    /// <summary>Options of <c>mnist report</c>.</summary>
    public sealed class Settings : DataSettings
    {
        /// <summary>The run folder.</summary>
        [CommandArgument(0, "<RUN>")]
        [Description("The run folder holding metrics.json.")]
        public string Run { get; init; } = "";
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var folder = RunFolder.Existing(settings.Run);
        SavedMetrics saved;
        try
        {
            saved = MetricsJson.Read(folder.MetricsJson);
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
        {
            throw new UserInputException(e.Message);
        }
        var stages = new Stages(ConsoleUiFactory.Create(settings));
        var data = await stages.LoadDataAsync(settings, cancellationToken);
        var files = ReportWriter.Write(folder.Path, saved.Evaluation, data.Test, saved.Context);
        if (!settings.Quiet && !settings.Json)
            AnsiConsole.MarkupLineInterpolated($"[bold]Report[/] written again in {folder.Path}: {string.Join(", ", files.Select(Path.GetFileName))}");
        return ExitCodes.Success;
    }
}
