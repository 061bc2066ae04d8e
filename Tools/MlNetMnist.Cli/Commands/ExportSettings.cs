using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli.Commands;

/// <summary>Options of <c>mnist export</c>.</summary>
public sealed class ExportSettings : DataSettings
{
    /// <summary>The run folder holding the checkpoint.</summary>
    [CommandOption("-o|--out <DIR>")]
    [Description("The run folder holding 'checkpoint' (written by mnist train); model.onnx and model.zip are written there.")]
    public string? Out { get; init; }

    /// <inheritdoc />
    public override ValidationResult Validate()
        => Out is null ? ValidationResult.Error("--out is required: the run folder holding the checkpoint.") : base.Validate();
}
