namespace LazyAf.Runner.Agents;

/// <summary>What an agent event says happened.</summary>
public enum AgentEventKind
{
    /// <summary>The agent started (or resumed) a session: <see cref="AgentEvent.SessionId"/>, <see cref="AgentEvent.Model"/>.</summary>
    SessionStarted,

    /// <summary>The model said something: <see cref="AgentEvent.Text"/>.</summary>
    AssistantText,

    /// <summary>The model called a tool: <see cref="AgentEvent.ToolName"/>, <see cref="AgentEvent.Summary"/> of its input.</summary>
    ToolCall,

    /// <summary>A tool answered: <see cref="AgentEvent.IsError"/>, <see cref="AgentEvent.Summary"/> of its output.</summary>
    ToolResult,

    /// <summary>Tokens used so far in a turn that has no final result yet (Codex reports them per turn).</summary>
    Usage,

    /// <summary>The agent asks whether it may use a tool (an approval gate): <see cref="AgentEvent.RequestId"/>, <see cref="AgentEvent.ToolName"/>, <see cref="AgentEvent.Summary"/>.</summary>
    PermissionRequest,

    /// <summary>The run ended: <see cref="AgentEvent.IsError"/>, <see cref="AgentEvent.Subtype"/>, <see cref="AgentEvent.Usage"/>, <see cref="AgentEvent.Text"/> (its last answer or error).</summary>
    Result,

    /// <summary>A line the adapter does not understand, kept as it was in <see cref="AgentEvent.Text"/>.</summary>
    Raw,
}

/// <summary>
/// One typed event of an agent run, the same for every agent CLI. Each adapter turns its CLI's output
/// into these; they travel on the log channel (stream <see cref="LogStream.Agent"/>, one JSON line each).
/// Only the fields its <see cref="Kind"/> names are set.
/// </summary>
public sealed record AgentEvent(AgentEventKind Kind)
{
    /// <summary>The agent's session id (to resume it for a follow-up).</summary>
    public string? SessionId { get; init; }

    /// <summary>The model in use.</summary>
    public string? Model { get; init; }

    /// <summary>Assistant text, a result's last answer or error, or a raw line.</summary>
    public string? Text { get; init; }

    /// <summary>The CLI's id of a tool call, linking a call to its result.</summary>
    public string? ToolUseId { get; init; }

    /// <summary>The tool's name (<c>Bash</c>, <c>Write</c>, <c>run_shell_command</c>, …).</summary>
    public string? ToolName { get; init; }

    /// <summary>A short, human summary of a tool's input or output (a command, a file path, the first lines of output).</summary>
    public string? Summary { get; init; }

    /// <summary>For a tool result or the final result: whether it failed.</summary>
    public bool? IsError { get; init; }

    /// <summary>For a result: how it ended, as the CLI says (<c>success</c>, <c>error_max_turns</c>, …).</summary>
    public string? Subtype { get; init; }

    /// <summary>For a permission request: the id the answer must carry.</summary>
    public string? RequestId { get; init; }

    /// <summary>For a result or a usage event: turns, tokens, cost and time.</summary>
    public AgentUsage? Usage { get; init; }

    /// <summary>A raw line, kept because no adapter rule understood it.</summary>
    public static AgentEvent RawLine(string line) => new(AgentEventKind.Raw) { Text = line };
}

/// <summary>What a run used.</summary>
/// <param name="Turns">Model turns.</param>
/// <param name="InputTokens">Tokens sent to the model (including cached reads).</param>
/// <param name="OutputTokens">Tokens the model produced.</param>
/// <param name="CostUsd">Cost as the CLI reports it; null when it reports only tokens (the host prices them).</param>
/// <param name="DurationMs">Wall time of the run, when reported.</param>
public sealed record AgentUsage(int? Turns, long InputTokens, long OutputTokens, decimal? CostUsd, long? DurationMs);
