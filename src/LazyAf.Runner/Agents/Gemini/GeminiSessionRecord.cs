using System.Text.Json;

namespace LazyAf.Runner.Agents.Gemini;

/// <summary>
/// The tokens of each model turn, read from the session file the Gemini CLI appends to as it runs
/// (<c>&lt;home&gt;/.gemini/tmp/&lt;project&gt;/chats/session-&lt;time&gt;-&lt;first 8 of the id&gt;.jsonl</c>): one JSON record a line,
/// a message appended again under its id when it changes, a <c>gemini</c> message getting its <c>tokens</c> once its
/// response is complete. Each such message is counted once, its tokens as the stream's result counts them.
/// </summary>
internal sealed class GeminiSessionRecord(string configHome)
{
    private readonly HashSet<string> _counted = new(StringComparer.Ordinal);
    private readonly AppendedLines _lines = new();
    private string? _file;

    public IReadOnlyList<AgentEvent> ReadNew(string sessionId)
    {
        if ((_file ??= Find(sessionId)) is not { } file)
            return [];
        List<AgentEvent> turns = [];
        foreach (var line in _lines.ReadNew(file))
        {
            if (Turn(line) is { } turn)
                turns.Add(turn);
        }
        return turns;
    }

    /// <summary>The session's file, found by the id its first line carries.</summary>
    public static string? FindFile(string configHome, string sessionId)
    {
        var chats = Path.Combine(configHome, ".gemini", "tmp");
        if (sessionId.Length < 8 || !sessionId.All(c => char.IsAsciiHexDigit(c) || c == '-') || !Directory.Exists(chats))
            return null;
        return Directory.EnumerateFiles(chats, $"session-*-{sessionId[..8]}.json*", SearchOption.AllDirectories)
            .Where(file => File.ReadLines(file).FirstOrDefault()?.Contains($"\"sessionId\":\"{sessionId}\"", StringComparison.Ordinal) == true)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
    }

    private string? Find(string sessionId) => FindFile(configHome, sessionId);

    private AgentEvent? Turn(string line)
    {
        try
        {
            using var record = JsonDocument.Parse(line);
            var root = record.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueEquals("gemini") is false
                || !root.TryGetProperty("tokens", out var tokens) || tokens.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("id", out var id) || id.GetString() is not { } messageId || !_counted.Add(messageId))
                return null;
            var model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return new AgentEvent(AgentEventKind.Usage) { Model = model, Usage = new AgentUsage(null, Count(tokens, "input"), Count(tokens, "output"), null, null) };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long Count(JsonElement tokens, string name) =>
        tokens.TryGetProperty(name, out var value) && value.TryGetInt64(out var count) ? count : 0;
}
