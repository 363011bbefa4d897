using System.Buffers;
using System.Text.Json;

namespace LazyAf.Runner.Agents;

/// <summary>
/// The wire form of an <see cref="AgentEvent"/>: one JSON object per line, snake_case, only the fields that
/// are set. Written and read by hand so the runner stays trimmable for Native AOT.
/// </summary>
public static class AgentEventJson
{
    /// <summary>The event as one JSON line, ending in a newline.</summary>
    public static byte[] ToLine(AgentEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("kind", KindName(e.Kind));
            Text(json, "session_id", e.SessionId);
            Text(json, "model", e.Model);
            Text(json, "text", e.Text);
            Text(json, "tool_use_id", e.ToolUseId);
            Text(json, "tool_name", e.ToolName);
            Text(json, "summary", e.Summary);
            if (e.IsError is { } isError)
                json.WriteBoolean("is_error", isError);
            Text(json, "subtype", e.Subtype);
            Text(json, "request_id", e.RequestId);
            if (e.Usage is { } usage)
            {
                json.WriteStartObject("usage");
                if (usage.Turns is { } turns)
                    json.WriteNumber("turns", turns);
                json.WriteNumber("input_tokens", usage.InputTokens);
                json.WriteNumber("output_tokens", usage.OutputTokens);
                if (usage.CostUsd is { } cost)
                    json.WriteNumber("cost_usd", cost);
                if (usage.DurationMs is { } duration)
                    json.WriteNumber("duration_ms", duration);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads one line written by <see cref="ToLine"/>; null when it is not one.</summary>
    public static AgentEvent? FromLine(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Str(root, "kind") is not { } kindName || ParseKind(kindName) is not { } kind)
                return null;
            return new AgentEvent(kind)
            {
                SessionId = Str(root, "session_id"),
                Model = Str(root, "model"),
                Text = Str(root, "text"),
                ToolUseId = Str(root, "tool_use_id"),
                ToolName = Str(root, "tool_name"),
                Summary = Str(root, "summary"),
                IsError = root.TryGetProperty("is_error", out var isError) && isError.ValueKind is JsonValueKind.True or JsonValueKind.False ? isError.GetBoolean() : null,
                Subtype = Str(root, "subtype"),
                RequestId = Str(root, "request_id"),
                Usage = root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object ? ReadUsage(usage) : null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>snake_case name of a kind, as it appears on the wire and in the API.</summary>
    public static string KindName(AgentEventKind kind) => kind switch
    {
        AgentEventKind.SessionStarted => "session_started",
        AgentEventKind.AssistantText => "assistant_text",
        AgentEventKind.ToolCall => "tool_call",
        AgentEventKind.ToolResult => "tool_result",
        AgentEventKind.Usage => "usage",
        AgentEventKind.PermissionRequest => "permission_request",
        AgentEventKind.Result => "result",
        _ => "raw",
    };

    private static AgentEventKind? ParseKind(string name) =>
        Enum.GetValues<AgentEventKind>().Select(k => (AgentEventKind?)k).FirstOrDefault(k => KindName(k!.Value) == name);

    private static AgentUsage ReadUsage(JsonElement usage) => new(
        usage.TryGetProperty("turns", out var turns) && turns.TryGetInt32(out var t) ? t : null,
        usage.TryGetProperty("input_tokens", out var input) && input.TryGetInt64(out var i) ? i : 0,
        usage.TryGetProperty("output_tokens", out var output) && output.TryGetInt64(out var o) ? o : 0,
        usage.TryGetProperty("cost_usd", out var cost) && cost.TryGetDecimal(out var c) ? c : null,
        usage.TryGetProperty("duration_ms", out var duration) && duration.TryGetInt64(out var d) ? d : null);

    private static void Text(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
            json.WriteString(name, value);
    }

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
