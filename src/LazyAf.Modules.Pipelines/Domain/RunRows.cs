namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>A run as <c>pipelines_runs</c> holds it; <c>Definition</c> is the YAML it started with, <c>Params</c> JSON.</summary>
internal sealed record RunRow
{
    public required string Id { get; init; }
    public required string RepoId { get; init; }
    public required string Pipeline { get; init; }
    public string? Source { get; init; }
    public string? Definition { get; init; }
    public required string Branch { get; init; }
    public required string WorkBranch { get; init; }
    public string? CommitSha { get; init; }
    public string? HeadSha { get; init; }
    public required string State { get; init; }
    public required string TriggerKind { get; init; }
    public string? TriggerId { get; init; }
    public string? CardId { get; init; }
    public string? DedupKey { get; init; }
    public string Params { get; init; } = "{}";
    public string? Error { get; init; }
    public bool Stopping { get; init; }

    /// <summary>A debug re-run's breakpoints not yet reached, as a JSON array of step ids; null for other runs.</summary>
    public string? Breakpoints { get; init; }

    /// <summary>The step a paused run waits before.</summary>
    public string? PausedStep { get; init; }

    /// <summary>A debug re-run that pauses after a step fails (instead of failing), keeping what the step left.</summary>
    public bool PauseOnFailure { get; init; }

    /// <summary>The run is paused after <see cref="PausedStep"/> failed, not before it started.</summary>
    public bool PausedAfterFailure { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public long Version { get; init; } = 1;
}

/// <summary>One attempt of one step of a run; <c>Tests</c> is the JSON of the execution's test counts.</summary>
internal sealed record StepRow
{
    public required string RunId { get; init; }
    public required string StepId { get; init; }
    public int Attempt { get; init; }
    public int Round { get; init; }
    public string? FixFor { get; init; }
    public required string ExecutionId { get; init; }
    public required string State { get; init; }
    public int? ExitCode { get; init; }
    public string? Error { get; init; }
    public string? Tests { get; init; }
    public string? CommitSha { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    public bool IsActive => State is StepStates.Pending or StepStates.Running;
}

/// <summary>The states of a step attempt (<c>skipped</c> and <c>waiting</c> are shown for steps that have no attempt).</summary>
internal static class StepStates
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    public const string Waiting = "waiting";
    public const string Skipped = "skipped";
}
