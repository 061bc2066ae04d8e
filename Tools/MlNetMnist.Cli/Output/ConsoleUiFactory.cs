using MlNetMnist.Cli.Commands;
using Spectre.Console;

namespace MlNetMnist.Cli.Output;

/// <summary>Chooses the console UI: live bars on a terminal, plain lines otherwise; stderr when stdout carries JSON.</summary>
public static class ConsoleUiFactory
{
    /// <summary>The UI for a command run with <paramref name="settings"/>.</summary>
    public static IConsoleUi Create(GlobalSettings settings)
    {
        if (settings.Json || settings.Quiet)
            return new PlainConsoleUi(settings.Json ? Console.Error : Console.Out, settings.Quiet);
        bool interactive = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive
            && Environment.GetEnvironmentVariable("CI") is null;
        return interactive ? new SpectreConsoleUi(AnsiConsole.Console) : new PlainConsoleUi(Console.Out, quiet: false);
    }
}
