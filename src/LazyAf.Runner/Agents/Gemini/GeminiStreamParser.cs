using System.Text.Json;

namespace LazyAf.Runner.Agents.Gemini;

/// <summary>
/// Reads the Gemini CLI's <c>--output-format stream-json</c> output: <c>init</c>, <c>message</c> (assistant text,
/// streamed in pieces), <c>tool_use</c>, <c>tool_result</c> and the final <c>result</c> with its <c>stats</c>.
/// Its mid-run <c>error</c> events are warnings (the result says how the run ended) and stay raw, as does anything
/// else it does not know. The <c>user</c> message only echoes the prompt (up to megabytes, already in
/// <c>prompt.md</c>), so it is left out. The stream's only usage is the result's; each model turn's tokens come from
/// the session's record while the CLI runs.
/// </summary>
internal sealed class GeminiStreamParser(GeminiSessionRecord record) : JsonLineParser, IAgentRecordedUsage
{
    private string? _sessionId;
    private int _turns;
    private bool _modelSpeaking;

    public string? SessionId => _sessionId;

    public IReadOnlyList<AgentEvent> ReadRecordedUsage() => _sessionId is { } session ? record.ReadNew(session) : [];

    protected override IReadOnlyList<AgentEvent>? Read(JsonElement root)
    {
        switch (Str(root, "type"))
        {
            case "init":
                _sessionId = Str(root, "session_id");
                return [new AgentEvent(AgentEventKind.SessionStarted) { SessionId = _sessionId, Model = Str(root, "model") }];
            case "message" when Str(root, "role") == "user":
                return [];
            case "message" when Str(root, "role") == "assistant" && Str(root, "content") is { } text:
                CountTurn();
                return [new AgentEvent(AgentEventKind.AssistantText) { Text = text }];
            case "tool_use":
                CountTurn();
                return [new AgentEvent(AgentEventKind.ToolCall)
                {
                    ToolUseId = Str(root, "tool_id"),
                    ToolName = Str(root, "tool_name"),
                    Summary = root.TryGetProperty("parameters", out var parameters) ? Summaries.Input(parameters) : "",
                }];
            case "tool_result":
                _modelSpeaking = false;
                return [ToolResult(root)];
            case "result":
                return [Result(root)];
            default:
                return null;
        }
    }

    // Gemini's stats count tokens but not model turns: a turn is counted where the model starts answering,
    // that is, at its first text or tool call after the prompt or after tool results went back to it.
    private void CountTurn()
    {
        if (!_modelSpeaking)
            _turns++;
        _modelSpeaking = true;
    }

    private static AgentEvent ToolResult(JsonElement root)
    {
        var failed = Str(root, "status") != "success";
        var output = Str(root, "output") ?? (root.TryGetProperty("error", out var error) ? Str(error, "message") : null) ?? "";
        return new AgentEvent(AgentEventKind.ToolResult)
        {
            ToolUseId = Str(root, "tool_id"),
            IsError = failed,
            Summary = output,
        };
    }

    private AgentEvent Result(JsonElement root)
    {
        var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
        var stats = root.TryGetProperty("stats", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        var status = Str(root, "status");
        return new AgentEvent(AgentEventKind.Result)
        {
            SessionId = _sessionId,
            IsError = status != "success",
            Subtype = status == "success" ? "success" : Str(error, "type") ?? status ?? "error",
            Text = Str(error, "message"),
            Usage = new AgentUsage(_turns, Number(stats, "input_tokens"), Number(stats, "output_tokens"), null,
                stats.ValueKind == JsonValueKind.Object && stats.TryGetProperty("duration_ms", out var d) && d.TryGetInt64(out var ms) ? ms : null),
        };
    }

    private static long Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.TryGetInt64(out var n) ? n : 0;
}
