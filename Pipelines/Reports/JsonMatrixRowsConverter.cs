using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>Writes a matrix one row per line, so that <c>metrics.json</c> shows it as a grid.</summary>
internal sealed class JsonMatrixRowsConverter : JsonConverter<int[][]>
{
    public override int[][]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => JsonSerializer.Deserialize<int[][]>(ref reader, JsonSingleLineConverter<int[][]>.Compact);

    public override void Write(Utf8JsonWriter writer, int[][] value, JsonSerializerOptions options)
    {
        // WriteRawValue does not indent, so the raw text carries its own line breaks and indentation.
        int size = options.WriteIndented ? options.IndentSize : 0;
        var indent = new string(' ', size * (writer.CurrentDepth + 1));
        var closing = new string(' ', size * writer.CurrentDepth);
        string separator = options.WriteIndented ? "," + options.NewLine : ",";
        var rows = value.Select(row => indent + JsonSerializer.Serialize(row, JsonSingleLineConverter<int[][]>.Compact));
        string text = options.WriteIndented
            ? "[" + options.NewLine + string.Join(separator, rows) + options.NewLine + closing + "]"
            : "[" + string.Join(separator, rows) + "]";
        writer.WriteRawValue(text, skipInputValidation: true);
    }
}
