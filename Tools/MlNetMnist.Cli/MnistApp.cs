using MlNetMnist.Cli.Commands;
using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Onnx;
using MlNetMnist.ModelDefinition.Training;
using MlNetMnist.Pipelines;
using MlNetMnist.Pipelines.Images;
using MlNetMnist.Server;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli;

/// <summary>The <c>mnist</c> command-line application: its commands, and how failures become exit codes.</summary>
public static class MnistApp
{
    /// <summary>Runs the application with <paramref name="args"/> and returns the process exit code (see <see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        bool verbose = args.Contains("--verbose") || args.Contains("-v");
        using var cancellation = new CancellationHandler();
        Running.WriteHold.InstallFromEnvironment();
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("mnist");
            config.SetApplicationVersion(Running.Versions.Line());
            config.UseStrictParsing();
            config.CancellationExitCode(ExitCodes.Cancelled);
            config.SetExceptionHandler((exception, _) => HandleException(exception, verbose));
            config.AddCommand<RunCommand>("run")
                .WithDescription("Data → train → export ONNX (checked against TorchSharp) → ML.NET model → evaluate → report, in one command.")
                .WithExample("run")
                .WithExample("run", "--preset", "fast", "--data-dir", "~/mnist");
            config.AddCommand<DownloadCommand>("download")
                .WithDescription("Find the MNIST files (--data-dir, $MNIST_DATA_DIR, the cache) or download them, and verify their SHA-256.");
            config.AddCommand<TrainCommand>("train")
                .WithDescription("Train (or --resume) a network; writes the checkpoint after every epoch.");
            config.AddCommand<ExportCommand>("export")
                .WithDescription("Export a run's checkpoint to model.onnx (checked with ONNX Runtime) and model.zip (ML.NET).");
            config.AddCommand<EvaluateCommand>("evaluate")
                .WithDescription("Evaluate a model.zip on the test set through ML.NET and write the report.");
            config.AddCommand<PredictCommand>("predict")
                .WithDescription("Predict digits from PNG or JPEG files, or from MNIST test images (--test-index N).")
                .WithExample("predict", "--model", "runs/latest/model.zip", "my-digit.png")
                .WithExample("predict", "--model", "runs/latest/model.zip", "--test-index", "0", "--test-index", "1");
            config.AddCommand<ReportCommand>("report")
                .WithDescription("Render a run's report again from its metrics.json.");
            config.AddBranch("bench", bench =>
            {
                bench.SetDescription("Measure training and scoring speed against bare TorchSharp and ONNX Runtime, side by side; 'bench serve': the web service under load.");
                bench.SetDefaultCommand<BenchCommand>();
                bench.AddCommand<BenchServeCommand>("serve")
                    .WithDescription("Load-test mnist serve on 127.0.0.1: concurrency 1, 8, 32, 128, JSON and PNG bodies, batching on and off, against raw ONNX Runtime.");
            });
            config.AddCommand<BenchSideCommand>("bench-side").IsHidden();
            config.AddCommand<BenchScoringCommand>("bench-scoring").IsHidden();
            config.AddCommand<ServeCommand>("serve")
                .WithDescription("Serve the model over HTTP: POST /predict, /predict/batch, GET /model, /healthz, a drawing page at /; batching and reload.")
                .WithExample("serve", "--model", "runs/latest/model.zip")
                .WithExample("serve", "--model", "runs/latest/model.zip", "--host", "0.0.0.0", "--port", "8080");
            config.AddCommand<InfoCommand>("info")
                .WithDescription("Show a model's schema, metadata, accuracy and file sizes.");
        });
        return await app.RunAsync(args, cancellation.Token);
    }

    /// <summary>Maps an exception to an exit code, printing one clear message for expected failures.</summary>
    public static int HandleException(Exception exception, bool verbose)
    {
        var error = Console.Error;
        switch (exception)
        {
            case CommandParseException or CommandRuntimeException or CommandConfigurationException:
                error.WriteLine($"error: {exception.Message}");
                error.WriteLine("Run 'mnist --help' or 'mnist <command> --help' for usage.");
                return ExitCodes.Usage;
            case OperationCanceledException:
                error.WriteLine("Cancelled.");
                return ExitCodes.Cancelled;
            case DataSetException or ModelFormatException or CheckpointException or OnnxParityException or OnnxExportException or DigitImageException or UserInputException or StorageException or ServerStartException:
                error.WriteLine($"error: {exception.Message}");
                if (verbose) error.WriteLine(exception);
                return ExitCodes.Failure;
            case var storage when StorageException.IsStorageFailure(storage):
                // A write we do not wrap (its message names the path): the storage, not a bug.
                error.WriteLine($"error: {storage.Message.Split('\n')[0].Trim()} ({StorageException.Cause(storage)})");
                if (verbose) error.WriteLine(exception);
                return ExitCodes.Failure;
            default:
                error.WriteLine($"unexpected error: {exception.GetType().Name}: {exception.Message}");
                error.WriteLine(verbose ? exception.ToString() : "Run again with --verbose for the stack trace, and please report it.");
                return ExitCodes.Failure;
        }
    }
}
