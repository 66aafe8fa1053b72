using System.Reflection;
using System.Text.Json;

namespace GenCdr.Benchmark;

/// <summary>Reads a JSON file built into this assembly (the published numbers the report compares against).</summary>
static class EmbeddedJson
{
    /// <summary>The resource <paramref name="name"/> deserialised (property names matched ignoring case); throws
    /// if it is missing from the build or empty.</summary>
    public static T Read<T>(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
                           ?? throw new InvalidOperationException($"embedded resource {name} is missing from the build");
        return JsonSerializer.Deserialize<T>(stream, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
               ?? throw new InvalidOperationException($"{name} is empty");
    }
}
