using System.Text.Json;

namespace LazyAf.Runner.Agents.ClaudeCode;

/// <summary>
/// Reads Claude Code's <c>stream-json</c> output: <c>system/init</c>, <c>assistant</c> messages (text and
/// <c>tool_use</c> blocks, and their tokens as a <see cref="AgentEventKind.Usage"/> once per message, so usage grows while
/// the agent runs), <c>user</c> messages (<c>tool_result</c> blocks), <c>control_request</c>
/// (<c>can_use_tool</c>, the approval gate) and the final <c>result</c>. Anything else is kept raw.
/// </summary>
internal sealed class ClaudeStreamParser : JsonLineParser, IAgentApprovalProtocol
{
    private readonly Dictionary<string, JsonElement> _pendingInputs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _countedMessages = new(StringComparer.Ordinal);

    public string? EndOfInput => null;

    public string Answer(AgentEvent request, ApprovalDecision decision)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(decision);
        var id = request.RequestId ?? throw new ArgumentException("not a permission request", nameof(request));
        _pendingInputs.Remove(id, out var input);
        return ClaudeControl.PermissionAnswer(id, decision, input.ValueKind == JsonValueKind.Undefined ? null : input);
    }

    // A line that yields no event (a thinking block, a control message LazyAF does not use) is kept raw.
    protected override IReadOnlyList<AgentEvent>? Read(JsonElement root) => Events(root) is { Count: > 0 } events ? events : null;

    private List<AgentEvent> Events(JsonElement root) => Str(root, "type") switch
    {
        "system" when Str(root, "subtype") == "init" =>
            [new AgentEvent(AgentEventKind.SessionStarted) { SessionId = Str(root, "session_id"), Model = Str(root, "model") }],
        "assistant" when root.TryGetProperty("message", out var message) => Assistant(message),
        "user" when root.TryGetProperty("message", out var message) => ToolResults(message),
        "control_request" => PermissionRequest(root),
        "result" => [Result(root)],
        _ => [],
    };

    private List<AgentEvent> Assistant(JsonElement message)
    {
        var events = new List<AgentEvent>();
        foreach (var block in Blocks(message))
        {
            switch (Str(block, "type"))
            {
                case "text" when Str(block, "text") is { Length: > 0 } text:
                    events.Add(new AgentEvent(AgentEventKind.AssistantText) { Text = text, Model = Str(message, "model") });
                    break;
                case "tool_use":
                    events.Add(new AgentEvent(AgentEventKind.ToolCall)
                    {
                        ToolUseId = Str(block, "id"),
                        ToolName = Str(block, "name"),
                        Summary = block.TryGetProperty("input", out var input) ? Summaries.Input(input) : "",
                    });
                    break;
            }
        }
        // Each block of a message comes on a line of its own, all with the message's usage: it is counted once. Its
        // output tokens are those known when the message started; the result has the run's true totals.
        if (Str(message, "id") is { } id && message.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object && _countedMessages.Add(id))
            events.Add(new AgentEvent(AgentEventKind.Usage) { Model = Str(message, "model"), Usage = new AgentUsage(null, InputTokens(usage), Tokens(usage, "output_tokens"), null, null) });
        return events;
    }

    private static long Tokens(JsonElement usage, string name) => usage.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : 0;

    private static long InputTokens(JsonElement usage) =>
        Tokens(usage, "input_tokens") + Tokens(usage, "cache_read_input_tokens") + Tokens(usage, "cache_creation_input_tokens");

    private static List<AgentEvent> ToolResults(JsonElement message) =>
        [.. Blocks(message).Where(b => Str(b, "type") == "tool_result").Select(b => new AgentEvent(AgentEventKind.ToolResult)
        {
            ToolUseId = Str(b, "tool_use_id"),
            IsError = b.TryGetProperty("is_error", out var e) && e.ValueKind == JsonValueKind.True,
            Summary = b.TryGetProperty("content", out var content) ? Summaries.Output(content) : "",
        })];

    private List<AgentEvent> PermissionRequest(JsonElement root)
    {
        if (!root.TryGetProperty("request", out var request) || Str(request, "subtype") != "can_use_tool" || Str(root, "request_id") is not { } id)
            return [];
        var input = request.TryGetProperty("input", out var value) ? value.Clone() : default;
        _pendingInputs[id] = input;
        return [new AgentEvent(AgentEventKind.PermissionRequest)
        {
            RequestId = id,
            ToolName = Str(request, "tool_name"),
            Summary = input.ValueKind == JsonValueKind.Undefined ? "" : Summaries.Input(input),
        }];
    }

    private static AgentEvent Result(JsonElement root)
    {
        var usage = root.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object ? u : default;
        var input = usage.ValueKind == JsonValueKind.Object ? InputTokens(usage) : 0;
        var errors = root.TryGetProperty("errors", out var list) && list.ValueKind == JsonValueKind.Array
            ? string.Join("; ", list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()))
            : null;
        return new AgentEvent(AgentEventKind.Result)
        {
            SessionId = Str(root, "session_id"),
            Subtype = Str(root, "subtype"),
            IsError = root.TryGetProperty("is_error", out var isError) && isError.ValueKind == JsonValueKind.True,
            Text = Str(root, "result") is { } result ? result : errors,
            Usage = new AgentUsage(
                root.TryGetProperty("num_turns", out var turns) && turns.TryGetInt32(out var t) ? t : null,
                input,
                usage.ValueKind == JsonValueKind.Object ? Tokens(usage, "output_tokens") : 0,
                root.TryGetProperty("total_cost_usd", out var cost) && cost.TryGetDecimal(out var c) ? c : null,
                root.TryGetProperty("duration_ms", out var duration) && duration.TryGetInt64(out var d) ? d : null),
        };
    }

    private static IEnumerable<JsonElement> Blocks(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array
            ? content.EnumerateArray().Where(b => b.ValueKind == JsonValueKind.Object)
            : [];
}
