using System.ComponentModel;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli.Commands;

/// <summary>Options of commands that read the MNIST files.</summary>
public class DataSettings : GlobalSettings
{
    /// <summary>Folder holding the four MNIST files.</summary>
    [CommandOption("--data-dir <DIR>")]
    [Description("Folder holding the four MNIST files (gzip or raw). Default: $MNIST_DATA_DIR, then the per-user cache, then a download into it.")]
    public string? DataDir { get; init; }

    /// <summary>Never download; fail if the files are not found.</summary>
    [CommandOption("--no-download")]
    [Description("Never download: fail when the files are not found locally.")]
    public bool NoDownload { get; init; }
}
