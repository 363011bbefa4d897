using System.Text.Json;

namespace LazyAf.Runner.Agents.Codex;

/// <summary>
/// Reads <c>codex exec --json</c> output: <c>thread.started</c>, <c>item.started</c>/<c>item.completed</c> for the
/// items of a turn (<c>command_execution</c>, <c>file_change</c>, <c>mcp_tool_call</c>, <c>web_search</c> become tool
/// calls and results, <c>agent_message</c> assistant text), and the end of the run: <c>turn.completed</c> with its
/// <c>usage</c>, or <c>turn.failed</c>. An exec run is one Codex turn, so its end is the run's result. Its
/// <c>error</c> lines are retry notices and warnings (the failure itself comes as <c>turn.failed</c>) and stay raw,
/// as do reasoning, plans and anything else it does not know. The stream's only usage is the turn's (the run's) at its
/// end; each model response's tokens come from the thread's rollout record while Codex runs.
/// </summary>
internal sealed class CodexStreamParser(CodexSessionRecord record) : JsonLineParser, IAgentRecordedUsage
{
    private static readonly string[] ToolItems = ["command_execution", "file_change", "mcp_tool_call", "web_search"];

    private readonly HashSet<string> _announcedCalls = new(StringComparer.Ordinal);
    private string? _threadId;
    private string? _lastMessage;
    private int _turns;
    private bool _modelSpeaking;

    public string? SessionId => _threadId;

    public IReadOnlyList<AgentEvent> ReadRecordedUsage() => _threadId is { } thread ? record.ReadNew(thread) : [];

    protected override IReadOnlyList<AgentEvent>? Read(JsonElement root)
    {
        var item = root.TryGetProperty("item", out var i) && i.ValueKind == JsonValueKind.Object ? i : default;
        return Str(root, "type") switch
        {
            "thread.started" => ThreadStarted(root),
            "turn.started" => [],
            "item.started" when ToolItems.Contains(Str(item, "type")) => [Call(item)],
            "item.completed" when ToolItems.Contains(Str(item, "type")) => Completed(item),
            "item.completed" when Str(item, "type") == "agent_message" && Str(item, "text") is { } text => Message(text),
            "turn.completed" => [Result(root)],
            "turn.failed" => [Failure(root)],
            _ => null,
        };
    }

    private AgentEvent[] ThreadStarted(JsonElement root)
    {
        _threadId = Str(root, "thread_id");
        return [new AgentEvent(AgentEventKind.SessionStarted) { SessionId = _threadId }];
    }

    private AgentEvent[] Message(string text)
    {
        CountTurn();
        _lastMessage = text;
        return [new AgentEvent(AgentEventKind.AssistantText) { Text = text }];
    }

    private AgentEvent Call(JsonElement item)
    {
        CountTurn();
        if (Str(item, "id") is { } id)
            _announcedCalls.Add(id);
        return new AgentEvent(AgentEventKind.ToolCall) { ToolUseId = Str(item, "id"), ToolName = ToolName(item), Summary = CallSummary(item) };
    }

    // Items that complete without having started (a web search, a refused command) get their call first.
    private AgentEvent[] Completed(JsonElement item)
    {
        var announced = Str(item, "id") is { } id && _announcedCalls.Remove(id);
        var call = announced ? [] : new[] { Call(item) };
        _modelSpeaking = false;
        var status = Str(item, "status");
        var failed = status is "failed" or "declined"
            || (item.TryGetProperty("exit_code", out var code) && code.TryGetInt32(out var exit) && exit != 0);
        return [.. call, new AgentEvent(AgentEventKind.ToolResult) { ToolUseId = Str(item, "id"), IsError = failed, Summary = ResultSummary(item) }];
    }

    // Codex counts one turn per exec; model turns are counted where the model starts answering: at its first
    // message or tool call after the prompt or after tool results went back to it.
    private void CountTurn()
    {
        if (!_modelSpeaking)
            _turns++;
        _modelSpeaking = true;
    }

    private AgentEvent Result(JsonElement root)
    {
        var usage = root.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object ? u : default;
        return new AgentEvent(AgentEventKind.Result)
        {
            SessionId = _threadId,
            IsError = false,
            Subtype = "success",
            Text = _lastMessage is null ? null : _lastMessage,
            // input_tokens already includes the cached ones (cached_input_tokens is a part of it).
            Usage = new AgentUsage(_turns, Number(usage, "input_tokens"), Number(usage, "output_tokens"), null, null),
        };
    }

    private AgentEvent Failure(JsonElement root) => new(AgentEventKind.Result)
    {
        SessionId = _threadId,
        IsError = true,
        Subtype = "turn_failed",
        Text = root.TryGetProperty("error", out var error) ? Str(error, "message") : null,
        Usage = new AgentUsage(_turns, 0, 0, null, null),
    };

    private static string ToolName(JsonElement item) => Str(item, "type") switch
    {
        "mcp_tool_call" => $"{Str(item, "server")}.{Str(item, "tool")}",
        var type => type!,
    };

    private static string CallSummary(JsonElement item) => Str(item, "type") switch
    {
        "command_execution" => Str(item, "command") ?? "",
        "file_change" => Changes(item),
        "web_search" => Str(item, "query") ?? "",
        _ => item.TryGetProperty("arguments", out var arguments) ? Summaries.Input(arguments) : "",
    };

    private static string ResultSummary(JsonElement item) => Str(item, "type") switch
    {
        "command_execution" => Str(item, "aggregated_output") ?? "",
        "file_change" => Changes(item),
        "mcp_tool_call" when item.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object => Str(error, "message") ?? "",
        "mcp_tool_call" when item.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object && result.TryGetProperty("content", out var content) => Summaries.Output(content),
        _ => "",
    };

    private static string Changes(JsonElement item) =>
        item.TryGetProperty("changes", out var changes) && changes.ValueKind == JsonValueKind.Array
            ? string.Join(", ", changes.EnumerateArray().Select(c => $"{Str(c, "kind")} {Str(c, "path")}"))
            : "";

    private static long Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.TryGetInt64(out var n) ? n : 0;
}
