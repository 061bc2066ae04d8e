using MlNetMnist.Cli.Output;
using MlNetMnist.Cli.Running;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli.Commands;

/// <summary><c>mnist run</c>: data → train → export ONNX (checked) → ML.NET model → evaluate → report.</summary>
public sealed class RunCommand : AsyncCommand<TrainSettings>
{
    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        var ui = ConsoleUiFactory.Create(settings);
        var stages = new Stages(ui);
        using var folder = RunFolder.Prepare(settings.Out, settings.Resume, settings.Force);
        var options = settings.ToOptions();
        ui.Step("run", settings.Resume ? $"resuming the run in {folder.Path}" : $"preset {settings.Preset} → {folder.Path}");

        var data = await stages.LoadDataAsync(settings, cancellationToken);
        var training = stages.Train(data, options, folder, settings.Resume, cancellationToken);
        if (training.Cancelled)
            return Cancelled.Report(ui, folder, training, "run");

        var parity = stages.Export(training, data.Train, folder, options.Threads);
        using var model = stages.Build(folder, options.Threads);
        var evaluation = stages.Evaluate(model, data.Test, settings.Threads, cancellationToken);
        var manifest = RunSummary.Manifest(training.Options.Preset ?? (settings.Resume ? "unknown" : settings.Preset), training, parity, evaluation, stages, options.Threads);
        var files = RunSummary.WriteReport(folder, evaluation, data.Test, training, stages, model.Metadata);
        manifest = manifest with
        {
            StageSeconds = new Dictionary<string, double>(stages.Seconds),
            Memory = manifest.Memory! with { PeakWorkingSetBytes = System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 },
        };
        JsonFiles.Write(folder.RunJson, manifest);
        if (settings.Out is null) folder.UpdateLatestLink(); // runs/latest → this run, now that it is complete
        RunSummary.Print(settings, folder, manifest, evaluation, files);
        return ExitCodes.Success;
    }
}
