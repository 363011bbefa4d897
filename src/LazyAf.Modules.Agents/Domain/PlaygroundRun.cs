using LazyAf.Modules.Execution.Contracts;

namespace LazyAf.Modules.Agents.Domain;

/// <summary>A playground run as <c>agents_playground_runs</c> holds it: what was asked, and the execution that runs it.</summary>
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
}

/// <summary>A run with what its execution says about it (state, result, usage); the execution is null until it exists.</summary>
internal sealed record PlaygroundRunState(PlaygroundRun Run, ExecutionSnapshot? Execution)
{
    /// <summary>The execution's state; a run whose execution is not created yet is as good as pending.</summary>
    public ExecutionState State => Execution?.State ?? ExecutionState.Pending;

    public bool IsFinished => State.IsFinal();

    /// <summary>The head the run pushed, once the agent exited.</summary>
    public string? ResultSha => Execution?.CommitSha;
}
