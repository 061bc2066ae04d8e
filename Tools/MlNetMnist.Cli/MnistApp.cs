using MlNetMnist.Cli.Commands;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli;

/// <summary>The <c>mnist</c> command-line application: commands and their wiring.</summary>
public static class MnistApp
{
    /// <summary>Runs the application with <paramref name="args"/> and returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("mnist");
            config.AddCommand<RunCommand>("run")
                .WithDescription("Data → train → export ONNX → evaluate with ML.NET → report, in one command.");
        });
        return app.RunAsync(args);
    }
}
