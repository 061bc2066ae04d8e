using System.Text.Json;
using MlNetMnist.Cli.Running;
using MlNetMnist.Pipelines;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MlNetMnist.Cli.Commands;

/// <summary><c>mnist info</c>: a model's schema, metadata, accuracy and file sizes.</summary>
public sealed class InfoCommand : Command<ModelSettings>
{
    /// <inheritdoc />
    public override int Execute(CommandContext context, ModelSettings settings, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(settings.Model!);
        bool isZip = ModelFile.Detect(path) == ModelFileKind.ModelZip;
        var folder = Path.GetDirectoryName(path)!;
        var sizes = new[] { "model.onnx", "model.zip", "checkpoint" }
            .Select(name => Path.Combine(folder, name)).Where(File.Exists)
            .ToDictionary(file => Path.GetFileName(file), file => new FileInfo(file).Length);
        MnistModelMetadata metadata;
        string? inputSchema = null;
        if (isZip)
        {
            using var model = MnistModel.Load(path);
            metadata = model.Metadata;
            inputSchema = string.Join(", ", model.InputSchema.Select(c => $"{c.Name}: {c.Type}"));
        }
        else
        {
            metadata = MnistModelMetadata.Read(path); // the ONNX protobuf only, no session
        }
        var runJson = Path.Combine(folder, "run.json");
        RunManifest? run = File.Exists(runJson) ? JsonFiles.Read<RunManifest>(runJson) : null;

        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new
            {
                model = path,
                producer = metadata.ProducerName,
                dataset = metadata.DataSet,
                labels = metadata.Labels,
                imageShape = new[] { metadata.Shape.Channels, metadata.Shape.Height, metadata.Shape.Width },
                metadata = metadata.Properties,
                inputSchema,
                testAccuracy = run?.TestAccuracy,
                fileSizes = sizes,
            }, JsonFiles.Options).ReplaceLineEndings(" "));
            return ExitCodes.Success;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumn("property").AddColumn("value");
        table.AddRow("model", Markup.Escape(path));
        table.AddRow("producer", Markup.Escape(metadata.ProducerName));
        table.AddRow("data set", Markup.Escape(metadata.DataSet ?? "(not recorded)"));
        table.AddRow("classes", Markup.Escape($"{metadata.ClassCount}: {string.Join(", ", metadata.Labels.Take(20))}{(metadata.ClassCount > 20 ? ", …" : "")}"));
        table.AddRow("ONNX input", Markup.Escape($"input: float [N, {metadata.Shape.PixelCount}], images of {metadata.Shape}, (pixel / 255 − mean) / std ({metadata.Normalization})"));
        table.AddRow("ONNX outputs", Markup.Escape($"logits, probabilities: float [N, {metadata.ClassCount}]"));
        if (inputSchema is not null) table.AddRow("ML.NET input schema", Markup.Escape(inputSchema));
        foreach (var (key, value) in metadata.Properties.OrderBy(p => p.Key))
            table.AddRow(Markup.Escape(key), Markup.Escape(value));
        if (run?.TestAccuracy is double accuracy) table.AddRow("test accuracy (run.json)", $"{accuracy:P2}");
        foreach (var (name, size) in sizes) table.AddRow($"size of {name}", $"{size / 1024.0:N0} KiB");
        AnsiConsole.Write(table);
        return ExitCodes.Success;
    }
}
