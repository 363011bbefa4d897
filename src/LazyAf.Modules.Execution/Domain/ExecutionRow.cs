namespace LazyAf.Modules.Execution.Domain;

/// <summary>
/// A step execution as <c>execution_executions</c> holds it. <c>Request</c> is the JSON of the
/// <c>ExecutionRequested</c> that created it; <c>Tests</c> the JSON of its test counts.
/// </summary>
internal sealed record ExecutionRow
{
    public required string Id { get; init; }
    public required string IdempotencyKey { get; init; }
    public required string Kind { get; init; }
    public string? SubjectId { get; init; }
    public required string RepoId { get; init; }
    public required string Branch { get; init; }
    public int Attempt { get; init; } = 1;
    public required string Request { get; init; }
    public required string State { get; init; }
    public string? Runner { get; init; }
    public int? ExitCode { get; init; }
    public string? Error { get; init; }
    public string? Tests { get; init; }
    public string? CommitSha { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public long Version { get; init; }

    /// <summary>How many times its remote runner was lost mid-step and the step started again (its <c>runner_retries</c>).</summary>
    public int LostRunners { get; init; }

    /// <summary>The seq after which the current attempt's log is stored (0 for a first attempt; see <see cref="LostRunners"/>).</summary>
    public long LogSeqBase { get; init; }
}
