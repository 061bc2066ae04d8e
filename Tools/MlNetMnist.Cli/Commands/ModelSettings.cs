using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli.Commands;

/// <summary>Options of commands that read a saved model.</summary>
public class ModelSettings : DataSettings
{
    /// <summary>The model file.</summary>
    [CommandOption("-m|--model <FILE>")]
    [Description("The model: a model.zip (ML.NET pipeline) or a model.onnx exported by MlNetMnist.")]
    public string? Model { get; init; }

    /// <inheritdoc />
    public override ValidationResult Validate()
        => string.IsNullOrEmpty(Model) ? ValidationResult.Error("--model is required.") : base.Validate();
}
