using MlNetMnist.Cli.Output;
using MlNetMnist.Cli.Running;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli.Commands;

/// <summary><c>mnist train</c>: train (or resume) and write the checkpoint; <c>mnist export</c> turns it into models.</summary>
public sealed class TrainCommand : AsyncCommand<TrainSettings>
{
    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        var ui = ConsoleUiFactory.Create(settings);
        var stages = new Stages(ui);
        using var folder = RunFolder.Prepare(settings.Out, settings.Resume, settings.Force);
        var data = await stages.LoadDataAsync(settings, cancellationToken);
        var training = stages.Train(data, settings.ToOptions(), folder, settings.Resume, cancellationToken);
        if (training.Cancelled)
            return Cancelled.Report(ui, folder, training, "train");
        ui.Step("done", $"checkpoint{(training.Ensemble is null ? $" {folder.Checkpoint}" : $"s {folder.MemberCheckpoint(0)} … {folder.MemberCheckpoint(training.Options.EnsembleMembers - 1)}")}; next: mnist export --out \"{folder.Path}\"");
        if (settings.Json)
            Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
            {
                checkpoint = training.Ensemble is null ? folder.Checkpoint : folder.MemberCheckpoint(0),
                ensembleMembers = training.Options.EnsembleMembers,
                epochs = training.History.Count,
                trainSeconds = training.TrainSeconds,
                validationAccuracy = training.ValidationAccuracy,
            }, JsonFiles.Options).ReplaceLineEndings(" "));
        return ExitCodes.Success;
    }
}
