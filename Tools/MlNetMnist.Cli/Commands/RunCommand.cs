using System.ComponentModel;
using System.Diagnostics;
using MlNetMnist.Data;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli.Commands;

/// <summary><c>mnist run</c>: the whole pipeline from data to report.</summary>
public sealed class RunCommand : AsyncCommand<RunCommand.Settings>
{
    /// <summary>Options of <c>mnist run</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>Folder holding the four MNIST files.</summary>
        [CommandOption("--data-dir <DIR>")]
        [Description("Folder holding the four MNIST files (gzip or raw). Default: $MNIST_DATA_DIR, then the per-user cache, then a download.")]
        public string? DataDir { get; init; }
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        try
        {
            var clock = Stopwatch.StartNew();
            var (directory, origin) = await new MnistDataLocator().LocateAsync(settings.DataDir, cancellationToken: cancellationToken);
            var data = MnistDataSet.Load(directory);
            AnsiConsole.MarkupLineInterpolated($"[green]data[/]  {data.Train.Count:N0} training and {data.Test.Count:N0} test images from {directory} ({origin}), {(data.IsVerified ? "verified" : "UNVERIFIED")}, {clock.Elapsed.TotalSeconds:F1} s");
            foreach (var notice in data.Notices) AnsiConsole.MarkupLineInterpolated($"[yellow]notice[/] {notice}");
            AnsiConsole.MarkupLine("[grey]train → export → evaluate → report: not yet implemented[/]");
            return 0;
        }
        catch (MnistDataException e)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
            return 1;
        }
    }
}
