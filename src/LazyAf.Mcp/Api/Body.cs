using System.Text.Json.Nodes;

namespace LazyAf.Mcp.Api;

/// <summary>A JSON request body of the fields that were given: an argument the model left out stays out, so the API's default applies.</summary>
internal static class Body
{
    public static JsonObject Of(params (string Name, object? Value)[] fields)
    {
        var body = new JsonObject();
        foreach (var (name, value) in fields)
        {
            if (Node(value) is { } node)
                body[name] = node;
        }
        return body;
    }

    private static JsonNode? Node(object? value) => value switch
    {
        null => null,
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        int number => JsonValue.Create(number),
        long number => JsonValue.Create(number),
        string[] list => new JsonArray([.. list.Select(item => (JsonNode?)JsonValue.Create(item))]),
        IReadOnlyDictionary<string, string> map => new JsonObject(map.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)JsonValue.Create(pair.Value)))),
        // Detached, since a node has one parent and the argument may be read again.
        JsonNode node => node.DeepClone(),
        _ => throw new ArgumentException($"A request field of type {value.GetType().Name} is not supported.", nameof(value)),
    };
}
