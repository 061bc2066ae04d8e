using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetMnist.Data;
using MlNetMnist.Pipelines.Evaluation;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>
/// Writes and reads <c>metrics.json</c>: every figure of an evaluation and the report's context, with
/// stable field names that other tools rely on (documented in docs/metrics-json.md). Reading it back
/// gives an equivalent evaluation, so a report can be rendered again from this file and the images.
/// </summary>
public static class MetricsJson
{
    /// <summary>The file's usual name.</summary>
    public const string FileName = "metrics.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // readable titles and file names; the file is never embedded in HTML
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    /// <summary>The JSON text for <paramref name="evaluation"/> and <paramref name="context"/>.</summary>
    public static string Serialize(MnistEvaluation evaluation, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(context);
        return JsonSerializer.Serialize(MetricsJsonMapper.ToDocument(evaluation, context), Options) + "\n";
    }

    /// <summary>Parses JSON text written by <see cref="Serialize"/>.</summary>
    /// <exception cref="InvalidDataException">The text is not valid JSON, lacks a required field, or its shapes are wrong.</exception>
    public static SavedMetrics Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        MetricsJsonDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<MetricsJsonDocument>(json, Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not a valid metrics file: {e.Message}", e);
        }
        return MetricsJsonMapper.FromDocument(document ?? throw new InvalidDataException("not a valid metrics file: it is null."));
    }

    /// <summary>Writes <c>metrics.json</c> to <paramref name="path"/>, atomically.</summary>
    public static void Write(string path, MnistEvaluation evaluation, ReportContext context)
        => AtomicFile.WriteAllText(path, Serialize(evaluation, context));

    /// <summary>Reads a <c>metrics.json</c> file.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid metrics file; the message names it.</exception>
    public static SavedMetrics Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return Deserialize(File.ReadAllText(path));
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }
}
