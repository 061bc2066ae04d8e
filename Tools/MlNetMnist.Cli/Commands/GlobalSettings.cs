using System.ComponentModel;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli.Commands;

/// <summary>Options every command takes.</summary>
public class GlobalSettings : CommandSettings
{
    /// <summary>Print only the final summary and errors.</summary>
    [CommandOption("-q|--quiet")]
    [Description("Print only the final summary and errors.")]
    public bool Quiet { get; init; }

    /// <summary>Print a machine-readable JSON summary on stdout (progress goes to stderr).</summary>
    [CommandOption("--json")]
    [Description("Print a machine-readable JSON summary on stdout; progress goes to stderr.")]
    public bool Json { get; init; }

    /// <summary>Show stack traces for expected errors.</summary>
    [CommandOption("-v|--verbose")]
    [Description("Show the stack trace of errors, expected ones included.")]
    public bool Verbose { get; init; }

    /// <summary>CPU threads for TorchSharp and ONNX Runtime.</summary>
    [CommandOption("--threads <N>")]
    [Description("CPU threads for TorchSharp and ONNX Runtime. Default: the number of cores.")]
    public int? Threads { get; init; }

    /// <inheritdoc />
    public override Spectre.Console.ValidationResult Validate()
        => Threads is < 1 ? Spectre.Console.ValidationResult.Error("--threads must be at least 1.") : base.Validate();
}
