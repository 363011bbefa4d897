using System.Globalization;
using LazyAf.Kernel;
using LazyAf.Modules.Execution.Contracts;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>
/// A playground run as <c>execution_playground_runs</c> holds it, with what its execution says about it (state,
/// result, usage) joined in; those are null until the execution exists.
/// </summary>
internal sealed record PlaygroundRun
{
    public required string Id { get; init; }
    public required string RepoId { get; init; }
    public required string Agent { get; init; }
    public string? Model { get; init; }
    public required string BaseBranch { get; init; }
    public required string BaseSha { get; init; }
    public required string Task { get; init; }
    public required string ExecutionId { get; init; }
    public required string WorkBranch { get; init; }
    public string? SavedTo { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    public string? State { get; init; }
    public string? Error { get; init; }
    public string? ResultSha { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    public bool HasUsage { get; init; }
    public string? SessionId { get; init; }
    public string? UsedModel { get; init; }
    public long? Turns { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public string? CostUsd { get; init; }

    /// <summary>The execution's state; a run whose execution is not created yet is as good as pending.</summary>
    public ExecutionState ExecutionState => State is null ? ExecutionState.Pending : EnumText.Parse<ExecutionState>(State);

    public bool IsFinished => ExecutionState.IsFinal();

    public ExecutionUsage? Usage => HasUsage
        ? new ExecutionUsage(SessionId, UsedModel, (int?)Turns, InputTokens, OutputTokens,
            CostUsd is { } cost ? decimal.Parse(cost, NumberStyles.Float, CultureInfo.InvariantCulture) : null)
        : null;
}
