using LazyAf.Kernel.Events;

namespace LazyAf.Modules.Execution.Contracts;

/// <summary>A step execution as events carry it.</summary>
/// <param name="Id">The execution id.</param>
/// <param name="Kind">What kind of work it is.</param>
/// <param name="SubjectId">What it is for (a card id, …).</param>
/// <param name="RepoId">The repo it works on.</param>
/// <param name="State">Where it is.</param>
/// <param name="ExitCode">The step's exit code, once it exited.</param>
/// <param name="Error">Why it failed, in one line.</param>
/// <param name="Branch">The work branch.</param>
/// <param name="CommitSha">The pushed head of the work branch, once pushed.</param>
/// <param name="Tests">Test counts, when reports were found.</param>
public sealed record ExecutionSnapshot(
    string Id, string Kind, string? SubjectId, string RepoId, ExecutionState State, int? ExitCode, string? Error, string Branch, string? CommitSha, TestCounts? Tests)
{
    /// <summary>What an agent step used (session, tokens, cost); null for other steps.</summary>
    public ExecutionUsage? Usage { get; init; }

    /// <summary>When its step started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset? FinishedAt { get; init; }
}

/// <summary>Test counts of an execution, with the names of the failures.</summary>
public sealed record TestCounts(int Total, int Passed, int Failed, int Skipped, IReadOnlyList<string> FailedTests)
{
    /// <summary>The failure message of each failed test, by name (trimmed; missing when the report had none), so a fix step sees why.</summary>
    public IReadOnlyDictionary<string, string>? FailureMessages { get; init; }

    /// <summary>The output of each failed test (what it printed, its stack trace), the end kept, by name; missing when it had none.</summary>
    public IReadOnlyDictionary<string, string>? FailureOutputs { get; init; }
}

/// <summary>An execution changed state.</summary>
/// <param name="Execution">It, after the change.</param>
[IntegrationEvent("execution.updated")]
public sealed record ExecutionUpdated(ExecutionSnapshot Execution) : IIntegrationEvent
{
    /// <inheritdoc />
    public IReadOnlyList<string> Topics() => Execution.SubjectId is { } subject
        ? [$"repo:{Execution.RepoId}", $"execution:{Execution.Id}", $"{Execution.Kind}:{subject}"]
        : [$"repo:{Execution.RepoId}", $"execution:{Execution.Id}"];
}

/// <summary>Output of a running execution, batched: the text of chunks <paramref name="FromSeq"/>…<paramref name="ToSeq"/> (secrets masked).</summary>
/// <param name="ExecutionId">Whose output.</param>
/// <param name="FromSeq">The first chunk in the batch.</param>
/// <param name="ToSeq">The last chunk in the batch.</param>
/// <param name="Text">The output as UTF-8 text; cut short (with a marker) for very large batches, which <c>GET …/logs</c> returns whole.</param>
[IntegrationEvent("log.appended")]
public sealed record LogAppended(string ExecutionId, long FromSeq, long ToSeq, string Text) : IIntegrationEvent
{
    /// <inheritdoc />
    public IReadOnlyList<string> Topics() => [$"execution:{ExecutionId}"];
}
