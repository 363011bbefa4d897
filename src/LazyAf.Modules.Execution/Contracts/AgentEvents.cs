using LazyAf.Kernel.Events;
using LazyAf.Runner.Agents;

namespace LazyAf.Modules.Execution.Contracts;

/// <summary>What an agent step used so far (or in all, once it ended).</summary>
/// <param name="SessionId">The agent's session, to resume it in a follow-up.</param>
/// <param name="Model">The model it ran.</param>
/// <param name="Turns">Model turns.</param>
/// <param name="InputTokens">Tokens in.</param>
/// <param name="OutputTokens">Tokens out.</param>
/// <param name="CostUsd">Cost in US dollars, as the CLI reported it or priced from the runner's price table.</param>
public sealed record ExecutionUsage(string? SessionId, string? Model, int? Turns, long InputTokens, long OutputTokens, decimal? CostUsd);

/// <summary>An agent step produced a typed event (a tool call, a result with its cost, …); published in order.</summary>
/// <param name="ExecutionId">Whose event.</param>
/// <param name="Kind">The execution's kind (<c>card</c>, <c>playground</c>, …).</param>
/// <param name="SubjectId">What the execution is for.</param>
/// <param name="Seq">The event's place in the execution's events, from 1.</param>
/// <param name="At">When it was stored.</param>
/// <param name="Event">The event.</param>
[IntegrationEvent("agent.event")]
public sealed record AgentEventRecorded(string ExecutionId, string Kind, string? SubjectId, long Seq, DateTimeOffset At, AgentEvent Event) : IIntegrationEvent
{
    /// <inheritdoc />
    public IReadOnlyList<string> Topics() => SubjectId is { } subject
        ? [$"execution:{ExecutionId}", $"{Kind}:{subject}"]
        : [$"execution:{ExecutionId}"];
}

/// <summary>An agent step asks whether it may use a tool; a person answers through <c>POST /api/executions/{id}/approvals/{request}</c>.</summary>
/// <param name="ExecutionId">The execution waiting.</param>
/// <param name="Kind">The execution's kind.</param>
/// <param name="SubjectId">What the execution is for (the card, …).</param>
/// <param name="RepoId">Its repo.</param>
/// <param name="RequestId">The request to answer.</param>
/// <param name="ToolName">The tool.</param>
/// <param name="Summary">What it would do (the command, the file).</param>
/// <param name="TimesOutAt">When an unanswered request is denied.</param>
[IntegrationEvent("approval.requested")]
public sealed record ApprovalRequested(
    string ExecutionId, string Kind, string? SubjectId, string RepoId, string RequestId, string ToolName, string Summary, DateTimeOffset TimesOutAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public IReadOnlyList<string> Topics() => SubjectId is { } subject
        ? [$"repo:{RepoId}", $"execution:{ExecutionId}", $"{Kind}:{subject}"]
        : [$"repo:{RepoId}", $"execution:{ExecutionId}"];
}
