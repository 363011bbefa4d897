using System.Buffers;
using System.Text;
using System.Text.Json;

namespace LazyAf.Runner.Agents.ClaudeCode;

/// <summary>The lines LazyAF writes to Claude Code's standard input (its stream-json input and control protocol).</summary>
internal static class ClaudeControl
{
    /// <summary>A user message carrying the task.</summary>
    public static string UserMessage(string prompt) => Line(json =>
    {
        json.WriteString("type", "user");
        json.WriteStartObject("message");
        json.WriteString("role", "user");
        json.WriteString("content", prompt);
        json.WriteEndObject();
    });

    /// <summary>The answer to a <c>can_use_tool</c> control request: allow with the tool's input unchanged, or deny with a message.</summary>
    public static string PermissionAnswer(string requestId, ApprovalDecision decision, JsonElement? input) => Line(json =>
    {
        json.WriteString("type", "control_response");
        json.WriteStartObject("response");
        json.WriteString("subtype", "success");
        json.WriteString("request_id", requestId);
        json.WriteStartObject("response");
        if (decision.Allow)
        {
            json.WriteString("behavior", "allow");
            json.WritePropertyName("updatedInput");
            if (input is { } value)
                value.WriteTo(json);
            else
                json.WriteRawValue("{}");
        }
        else
        {
            json.WriteString("behavior", "deny");
            json.WriteString("message", decision.Message is { Length: > 0 } message ? message : "denied by a reviewer in LazyAF");
        }
        json.WriteEndObject();
        json.WriteEndObject();
    });

    private static string Line(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }
}
