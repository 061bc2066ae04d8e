namespace MlNetMnist.Cli;

/// <summary>The process exit codes of <c>mnist</c> (documented in docs/cli.md).</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>An expected failure: bad data, a bad model file, a failed parity check, a bad image.</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong: unknown option, missing argument, invalid value.</summary>
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl+C (SIGINT) or SIGTERM.</summary>
    public const int Cancelled = 130;
}
