using System.Text.Json;
using MlNetMnist.Cli.Commands;
using MlNetMnist.Data;
using MlNetMnist.ModelDefinition.Onnx;
using MlNetMnist.ModelDefinition.Training;
using MlNetMnist.Pipelines.Evaluation;
using MlNetMnist.Pipelines.Reports;
using Spectre.Console;

namespace MlNetMnist.Cli.Running;

/// <summary>The end of a run: its manifest, its report files and the summary printed for the user.</summary>
public static class RunSummary
{
    /// <summary>The <c>run.json</c> content of a finished run.</summary>
    public static RunManifest Manifest(string preset, TrainingOutcome training, OnnxParityResult parity, MnistEvaluation? evaluation, Stages stages, int? threads)
        => new()
        {
            Preset = preset,
            Options = training.Options,
            Epochs = training.History.Count,
            TrainSeconds = training.TrainSeconds,
            BestEpoch = training.BestEpoch,
            ValidationAccuracy = training.ValidationAccuracy,
            History = training.History,
            Members = training.Ensemble?.Members.Select((m, i) => new MemberSummary(i, m.Options.Seed, m.Options.MemberNetwork, m.History.Count, m.BestEpoch, m.BestValidationAccuracy, m.TrainSeconds)).ToList(),
            TestAccuracy = evaluation?.Accuracy,
            OnnxParity = new OnnxParitySummary(parity.Images, parity.MaxAbsDiff, parity.MaxLogitAbsDiff, parity.ArgmaxAgreement),
            Calibration = training.Calibration,
            Threads = threads ?? Environment.ProcessorCount,
            Versions = Versions.All(),
            DataSet = stages.DataSource ?? throw new InvalidOperationException("data not loaded"),
            StageSeconds = new Dictionary<string, double>(stages.Seconds),
            Memory = new MemorySummary(System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64, stages.EpochWorkingSets.ToList(),
                stages.EpochNativeHeap.Count > 0 ? stages.EpochNativeHeap.ToList() : null),
            FinishedUtc = DateTimeOffset.UtcNow,
        };

    /// <summary>Writes the report files; returns their paths.</summary>
    public static IReadOnlyList<string> WriteReport(RunFolder folder, MnistEvaluation evaluation, ImageSplit test, TrainingOutcome? training, Stages stages, Pipelines.MnistModelMetadata model)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string dataSet = model.DataSet ?? MnistCatalog.DataSetName;
        var context = new ReportContext
        {
            Title = $"{(dataSet == MnistCatalog.DataSetName ? "MNIST digits" : dataSet)} — {Path.GetFileName(folder.Path)}",
            DataSetName = dataSet,
            Labels = model.Labels,
            // Images from files are named by their path below the data folder, beside their thumbnails.
            ImageLabels = test.Sources is { } sources ? sources.Select((path, i) => (i, path)).ToDictionary(x => x.i, x => RelativeName(x.path)) : null,
            ModelName = Path.GetFileName(folder.Path),
            Architecture = training?.Architecture,
            ValidationAccuracy = training?.ValidationAccuracy,
            TrainSeconds = training?.TrainSeconds,
            TrainingHistory = training?.MemberHistory.Select(p => new TrainingCurvePoint(p.Epoch.Epoch, p.Epoch.TrainLoss, p.Epoch.TrainAccuracy, p.Epoch.ValidationLoss,
                p.Epoch.ValidationAccuracy, p.Epoch.LearningRate, p.Epoch.Seconds, p.Member)).ToList(),
        };
        var files = ReportWriter.Write(folder.Path, evaluation, test, context);
        stages.Seconds["report"] = clock.Elapsed.TotalSeconds;
        return files;
    }

    private static string RelativeName(string path)
        => Path.GetFileName(Path.GetDirectoryName(path)) is { Length: > 0 } folder ? $"{folder}/{Path.GetFileName(path)}" : Path.GetFileName(path);

    /// <summary>Prints the summary: figures, the confusion matrix, and where the files are; JSON on stdout with --json.</summary>
    public static void Print(GlobalSettings settings, RunFolder folder, RunManifest manifest, MnistEvaluation evaluation, IReadOnlyList<string> files)
    {
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                folder = folder.Path,
                accuracy = evaluation.Accuracy,
                macroAccuracy = evaluation.MacroAccuracy,
                logLoss = evaluation.LogLoss,
                trainSeconds = manifest.TrainSeconds,
                epochs = manifest.Epochs,
                preset = manifest.Preset,
                onnxParity = manifest.OnnxParity,
                stageSeconds = manifest.StageSeconds,
                files,
            }, JsonFiles.Options).ReplaceLineEndings(" "));
            return;
        }
        AnsiConsole.WriteLine();
        Console.Out.Write(ConfusionMatrixText.ToConsole(evaluation.ConfusionMatrix, manifest.DataSet.Description.ClassNames));
        AnsiConsole.WriteLine();
        var table = FiguresTable(evaluation);
        table.AddRow("training time", manifest.Members is { } trained
            ? $"{manifest.TrainSeconds:F1} s ({trained.Count} networks, {manifest.Epochs} epochs)"
            : $"{manifest.TrainSeconds:F1} s ({manifest.Epochs} epochs)");
        table.AddRow("validation accuracy", manifest.Members is { } members
            ? $"{manifest.ValidationAccuracy:P2} (ensemble of {members.Count})"
            : $"{manifest.ValidationAccuracy:P2} (epoch {manifest.BestEpoch})");
        AnsiConsole.Write(table);
        PrintFiles(folder, files.Prepend(folder.ModelZip).Prepend(folder.ModelOnnx).Append(folder.RunJson));
    }

    /// <summary>Prints the summary of <c>mnist evaluate</c>; JSON on stdout with --json. <paramref name="labels"/>: the class names, or null for the numbers.</summary>
    public static void PrintEvaluation(GlobalSettings settings, RunFolder folder, MnistEvaluation evaluation, IReadOnlyList<string> files, IReadOnlyList<string>? labels = null)
    {
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                folder = folder.Path, accuracy = evaluation.Accuracy, macroAccuracy = evaluation.MacroAccuracy, logLoss = evaluation.LogLoss, files,
            }, JsonFiles.Options).ReplaceLineEndings(" "));
            return;
        }
        Console.Out.Write(ConfusionMatrixText.ToConsole(evaluation.ConfusionMatrix, labels?.Count == evaluation.ConfusionMatrix.Length ? labels : null));
        AnsiConsole.WriteLine();
        AnsiConsole.Write(FiguresTable(evaluation));
        PrintFiles(folder, files);
    }

    private static Table FiguresTable(MnistEvaluation evaluation)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("result").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("test accuracy", $"{evaluation.Accuracy:P2}");
        table.AddRow("macro accuracy", $"{evaluation.MacroAccuracy:P2}");
        table.AddRow("log-loss", $"{evaluation.LogLoss:F4}");
        table.AddRow("top-2 accuracy", $"{evaluation.Top2Accuracy:P2}");
        table.AddRow("errors", $"{evaluation.Count - evaluation.Correct:N0} of {evaluation.Count:N0}");
        return table;
    }

    private static void PrintFiles(RunFolder folder, IEnumerable<string> files)
    {
        AnsiConsole.MarkupLineInterpolated($"[bold]Files[/] in {folder.Path}:");
        foreach (var file in files.Distinct())
            AnsiConsole.MarkupLineInterpolated($"  {Path.GetFileName(file)}");
    }
}
