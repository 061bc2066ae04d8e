namespace MlNetMnist.ModelDefinition.Training;

/// <summary>The temperature fitted on a hold-out, and the hold-out's log-loss before and after.</summary>
/// <param name="Temperature">What the logits are divided by.</param>
/// <param name="LogLossBefore">Mean log-loss of the hold-out as trained.</param>
/// <param name="LogLossAfter">Mean log-loss of the hold-out with the temperature.</param>
/// <param name="Images">Images in the hold-out.</param>
public sealed record Calibration(double Temperature, double LogLossBefore, double LogLossAfter, int Images);
