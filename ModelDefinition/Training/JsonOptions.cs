using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlNetMnist.ModelDefinition.Training;

/// <summary>The JSON settings of checkpoints: camelCase names, enums as strings.</summary>
internal static class JsonOptions
{
    public static JsonSerializerOptions Default { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
