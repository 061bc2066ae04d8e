using MlNetMnist.Cli.Output;
using MlNetMnist.Cli.Running;
using MlNetMnist.ModelDefinition.Training;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli.Commands;

/// <summary><c>mnist export</c>: checkpoint → model.onnx (checked against TorchSharp with ONNX Runtime) → model.zip.</summary>
public sealed class ExportCommand : AsyncCommand<ExportSettings>
{
    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext context, ExportSettings settings, CancellationToken cancellationToken)
    {
        var ui = ConsoleUiFactory.Create(settings);
        var stages = new Stages(ui);
        var folder = RunFolder.Existing(settings.Out!);
        var data = await stages.LoadDataAsync(settings, cancellationToken);
        var training = folder.HoldsEnsemble() ? LoadEnsemble(ui, folder, data, settings.Threads) : LoadNetwork(ui, folder, data);
        var parity = stages.Export(training, data.Train, folder, settings.Threads);
        stages.Build(folder, settings.Threads).Dispose();
        if (settings.Json)
            Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { onnx = folder.ModelOnnx, model = folder.ModelZip, onnxParity = parity }, JsonFiles.Options).ReplaceLineEndings(" "));
        return ExitCodes.Success;
    }

    private static TrainingOutcome LoadNetwork(IConsoleUi ui, RunFolder folder, MlNetMnist.Data.ImageDataSet data)
    {
        var result = TrainingCheckpoint.LoadResult(folder.Checkpoint, data.Train);
        ui.Step("load", $"{folder.Checkpoint}: {result.Options.MemberNetwork} network, epoch {result.BestEpoch} of {result.History.Count}");
        return TrainingOutcome.Of(result);
    }

    /// <summary>Every member's best weights; refused while a member has epochs left (the ensemble is not what the run will make).</summary>
    private static TrainingOutcome LoadEnsemble(IConsoleUi ui, RunFolder folder, MlNetMnist.Data.ImageDataSet data, int? threads)
    {
        var options = TrainingCheckpoint.ReadState(folder.MemberCheckpoint(0)).Options;
        for (int i = 0; i < options.EnsembleMembers; i++)
        {
            var path = folder.MemberCheckpoint(i);
            if (!File.Exists(path) || TrainingCheckpoint.ReadState(path) is var state && state.EpochsCompleted < state.Options.Epochs)
                throw new UserInputException($"{path}: member {i + 1} of the ensemble has not finished training; finish it with: mnist train --out \"{folder.Path}\" --resume");
        }
        ui.Step("load", $"{folder.MemberCheckpoint(0)} … {folder.MemberCheckpoint(options.EnsembleMembers - 1)}: ensemble of {options.EnsembleMembers} networks ({options.EnsembleArchitecture})");
        return TrainingOutcome.Of(new EnsembleTrainer(checkpointPath: folder.MemberCheckpoint).Resume(data.Train, threads)); // every member finished: loaded, not trained
    }
}
