using System.Globalization;
using System.Text.Json.Nodes;

namespace LazyAf.Mcp.Api;

/// <summary>Reading the fields of the API's JSON answers without binding them to types (the tools pass most of them on as sent).</summary>
internal static class JsonFields
{
    public static string? Str(this JsonNode? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static long? Long(this JsonNode? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;

    /// <summary>A field as text whatever its JSON type (a number, a string), or null.</summary>
    public static string? Text(this JsonNode? node, string name) => node?[name] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value when value.TryGetValue<long>(out var number) => number.ToString(CultureInfo.InvariantCulture),
        var other => other.ToJsonString(),
    };

    public static JsonArray Array(this JsonNode? node, string name) => node?[name] as JsonArray ?? [];

    /// <summary>The id in a path segment, escaped.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value.Trim());
}
