using MlNetMnist.Cli.Output;
using MlNetMnist.ModelDefinition.Training;

namespace MlNetMnist.Cli.Running;

/// <summary>What a command says when Ctrl+C stopped its training.</summary>
public static class Cancelled
{
    /// <summary>Says where the checkpoint is and how to resume; returns <see cref="ExitCodes.Cancelled"/>.</summary>
    public static int Report(IConsoleUi ui, RunFolder folder, TrainingResult training, string command)
    {
        if (training.History.Count > 0 && File.Exists(folder.Checkpoint))
            ui.Notice($"stopped after epoch {training.History[^1].Epoch}; the checkpoint is {folder.Checkpoint}. Resume with: mnist {command} --out \"{folder.Path}\" --resume");
        else
            ui.Notice("stopped before the first epoch finished; no checkpoint was written.");
        return ExitCodes.Cancelled;
    }
}
