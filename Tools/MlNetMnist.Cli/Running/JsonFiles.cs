using System.Text.Json;
using System.Text.Json.Serialization;
using MlNetMnist.Data;

namespace MlNetMnist.Cli.Running;

/// <summary>Reads and writes the CLI's JSON files: camelCase, enums as strings, indented, written atomically.</summary>
public static class JsonFiles
{
    /// <summary>The serializer settings.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes <paramref name="value"/> to <paramref name="path"/> atomically.</summary>
    public static void Write<T>(string path, T value) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, Options) + "\n");

    /// <summary>Reads a <typeparamref name="T"/> from <paramref name="path"/>.</summary>
    /// <exception cref="UserInputException">The file is missing or not valid JSON of that shape.</exception>
    public static T Read<T>(string path)
    {
        if (!File.Exists(path)) throw new UserInputException($"{path}: file not found.");
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options) ?? throw new UserInputException($"{path}: the file is empty.");
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{path}: not valid JSON ({e.Message}).");
        }
    }
}
