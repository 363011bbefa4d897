using System.Text.Json.Nodes;

namespace LazyAf.Testing.Models;

/// <summary>
/// The smallest value that satisfies a JSON schema (its required properties, the first enum value, 1 for numbers).
/// Side requests that ask for JSON (the Gemini CLI's model router) get it, so the CLI goes on instead of retrying.
/// </summary>
internal static class JsonSchemaSample
{
    public static JsonNode? For(JsonNode? schema)
    {
        if (schema is not JsonObject shape)
            return null;
        if (shape["enum"] is JsonArray { Count: > 0 } values)
            return values[0]?.DeepClone();
        return (shape["type"]?.GetValue<string>() ?? "object").ToUpperInvariant() switch
        {
            "OBJECT" => Object(shape),
            "ARRAY" => new JsonArray(),
            "STRING" => "scripted",
            "INTEGER" or "NUMBER" => 1,
            "BOOLEAN" => false,
            _ => null,
        };
    }

    private static JsonObject Object(JsonObject shape)
    {
        var properties = shape["properties"] as JsonObject;
        var sample = new JsonObject();
        foreach (var name in (shape["required"] as JsonArray ?? []).Select(n => n?.GetValue<string>()).OfType<string>())
            sample[name] = For(properties?[name]);
        return sample;
    }
}
