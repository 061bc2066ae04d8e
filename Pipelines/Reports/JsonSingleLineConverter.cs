using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlNetMnist.Pipelines.Reports;

/// <summary>Writes a value on one line even in an indented document (for short arrays of numbers).</summary>
internal sealed class JsonSingleLineConverter<T> : JsonConverter<T>
{
    /// <summary>The options of the compact text: invariant numbers, non-finite ones as "NaN"/"Infinity".</summary>
    internal static readonly JsonSerializerOptions Compact = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        => JsonSerializer.Deserialize<T>(ref reader, Compact);

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        => writer.WriteRawValue(JsonSerializer.Serialize(value, Compact), skipInputValidation: true);
}
