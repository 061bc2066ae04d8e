using MlNetMnist.Cli.Output;

namespace MlNetMnist.Cli.Running;

/// <summary>What a command says when Ctrl+C stopped its training.</summary>
public static class Cancelled
{
    /// <summary>Says where the checkpoint is and how to resume; returns <see cref="ExitCodes.Cancelled"/>.</summary>
    public static int Report(IConsoleUi ui, RunFolder folder, TrainingOutcome training, string command)
    {
        string resume = $"Resume with: mnist {command} --out \"{folder.Path}\" --resume";
        if (training.Ensemble is { } ensemble)
        {
            int index = ensemble.Members.Count - 1;
            var stopped = ensemble.Members[index];
            int last = File.Exists(folder.MemberCheckpoint(index)) ? index : index - 1; // the stopped member may not have finished an epoch
            if (last >= 0)
                ui.Notice($"stopped in member {index + 1} of {ensemble.Options.EnsembleMembers} after {stopped.History.Count} of its {stopped.Options.Epochs} epochs; the checkpoints are {(last == 0 ? folder.MemberCheckpoint(0) : $"{folder.MemberCheckpoint(0)} … {folder.MemberCheckpoint(last)}")}. {resume}");
            else
                ui.Notice("stopped before the first epoch finished; no checkpoint was written.");
        }
        else if (training.History.Count > 0 && File.Exists(folder.Checkpoint))
            ui.Notice($"stopped after epoch {training.History[^1].Epoch}; the checkpoint is {folder.Checkpoint}. {resume}");
        else
            ui.Notice("stopped before the first epoch finished; no checkpoint was written.");
        return ExitCodes.Cancelled;
    }
}
