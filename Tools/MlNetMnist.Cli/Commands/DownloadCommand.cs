using MlNetMnist.Cli.Output;
using MlNetMnist.Cli.Running;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli.Commands;

/// <summary><c>mnist download</c>: find or download the MNIST files and verify them.</summary>
public sealed class DownloadCommand : AsyncCommand<DataSettings>
{
    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext context, DataSettings settings, CancellationToken cancellationToken)
    {
        var stages = new Stages(ConsoleUiFactory.Create(settings));
        await stages.LoadDataAsync(settings, cancellationToken);
        if (settings.Json)
            Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(stages.DataSource, JsonFiles.Options).ReplaceLineEndings(" "));
        return ExitCodes.Success;
    }
}
