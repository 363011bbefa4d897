using System.Text.Json;

namespace LazyAf.Runner.Agents;

/// <summary>
/// The parser of a CLI that prints one JSON object a line: blank lines are skipped, and malformed lines and lines
/// the CLI's own rules do not understand are kept as <see cref="AgentEventKind.Raw"/> events, never dropped.
/// </summary>
internal abstract class JsonLineParser : IAgentOutputParser
{
    public IReadOnlyList<AgentEvent> Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (string.IsNullOrWhiteSpace(line))
            return [];
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return (root.ValueKind == JsonValueKind.Object ? Read(root) : null) ?? [AgentEvent.RawLine(line)];
        }
        catch (JsonException)
        {
            return [AgentEvent.RawLine(line)];
        }
    }

    /// <summary>The events of one line; null when this parser does not understand it (it is then kept raw), empty to leave it out on purpose.</summary>
    protected abstract IReadOnlyList<AgentEvent>? Read(JsonElement root);

    /// <summary>A string property of an object, or null.</summary>
    protected static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
