using MlNetMnist.Data;

namespace MlNetMnist.Cli.Running;

/// <summary>
/// A fault-injection switch for crash tests: with <c>MLNETMNIST_HOLD_WRITE=NAME</c> the process
/// stops for good in the middle of writing the file NAME (its temporary file holds part of the
/// content; the file itself is untouched) and says so on standard error, so that a test can kill
/// it at exactly that moment. Off when the variable is unset.
/// </summary>
internal static class WriteHold
{
    /// <summary>The environment variable naming the file (for example <c>model.zip</c>) to stop in.</summary>
    public const string Variable = "MLNETMNIST_HOLD_WRITE";

    /// <summary>Installs the hold when <see cref="Variable"/> is set.</summary>
    public static void InstallFromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } name) return;
        AtomicFile.BeforeCommit = (target, temporary) =>
        {
            if (Path.GetFileName(target) != name) return;
            Console.Error.WriteLine($"hold: writing {target} through {temporary}, stopped before it is renamed ({Variable})");
            Console.Error.Flush();
            Thread.Sleep(Timeout.Infinite);
        };
    }
}
