using System.Text.Json;

namespace LazyAf.Runner.Agents.Codex;

/// <summary>
/// The tokens of each model response, read from the rollout file Codex appends to as it runs
/// (<c>$CODEX_HOME/sessions/YYYY/MM/DD/rollout-&lt;time&gt;-&lt;thread id&gt;.jsonl</c>): an <c>event_msg</c> record whose
/// payload is a <c>token_count</c> with the response's <c>last_token_usage</c>.
/// </summary>
internal sealed class CodexSessionRecord(string codexHome)
{
    private readonly AppendedLines _lines = new();
    private string? _file;

    public IReadOnlyList<AgentEvent> ReadNew(string threadId)
    {
        if ((_file ??= Find(threadId)) is not { } file)
            return [];
        List<AgentEvent> responses = [];
        foreach (var line in _lines.ReadNew(file))
        {
            if (Response(line) is { } response)
                responses.Add(response);
        }
        return responses;
    }

    private string? Find(string threadId)
    {
        var sessions = Path.Combine(codexHome, "sessions");
        if (threadId.Length == 0 || !threadId.All(c => char.IsAsciiHexDigit(c) || c == '-') || !Directory.Exists(sessions))
            return null;
        return Directory.EnumerateFiles(sessions, $"rollout-*{threadId}.jsonl", SearchOption.AllDirectories).FirstOrDefault();
    }

    private static AgentEvent? Response(string line)
    {
        try
        {
            using var record = JsonDocument.Parse(line);
            var root = record.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !Is(root, "type", "event_msg")
                || !root.TryGetProperty("payload", out var payload) || !Is(payload, "type", "token_count")
                || !payload.TryGetProperty("info", out var info) || info.ValueKind != JsonValueKind.Object
                || !info.TryGetProperty("last_token_usage", out var last) || last.ValueKind != JsonValueKind.Object)
                return null;
            return new AgentEvent(AgentEventKind.Usage) { Usage = new AgentUsage(null, Count(last, "input_tokens"), Count(last, "output_tokens"), null, null) };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool Is(JsonElement element, string name, string value) =>
        element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String && property.ValueEquals(value);

    private static long Count(JsonElement usage, string name) =>
        usage.TryGetProperty(name, out var value) && value.TryGetInt64(out var count) ? count : 0;
}
