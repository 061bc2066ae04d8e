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
        var (network, state) = TrainingCheckpoint.LoadBestNetwork(folder.Checkpoint);
        var validationAccuracy = state.BestEpoch > 0 ? state.History[state.BestEpoch - 1].ValidationAccuracy : (double?)null;
        ui.Step("load", $"{folder.Checkpoint}: {state.Options.Network} network, epoch {state.BestEpoch} of {state.EpochsCompleted}");
        var data = await stages.LoadDataAsync(settings, cancellationToken);
        var parity = stages.Export(network, state.DataSet, validationAccuracy, data.Train, folder, settings.Threads);
        stages.Build(folder, settings.Threads).Dispose();
        if (settings.Json)
            Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { onnx = folder.ModelOnnx, model = folder.ModelZip, onnxParity = parity }, JsonFiles.Options).ReplaceLineEndings(" "));
        return ExitCodes.Success;
    }
}
