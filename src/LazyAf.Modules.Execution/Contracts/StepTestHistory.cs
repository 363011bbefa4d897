using LazyAf.Kernel.Db;
using LazyAf.Runner;

namespace LazyAf.Modules.Execution.Contracts;

/// <summary>The test cases (and coverage) of a step that ended, with where they ran, as the test history records them.</summary>
/// <param name="ExecutionId">The execution.</param>
/// <param name="RepoId">Its repo.</param>
/// <param name="Branch">The branch it built (a pipeline run's or a card's base branch, not the work branch).</param>
/// <param name="CommitSha">The commit its tests ran on (the pushed head of its work branch); null when it was not pushed.</param>
/// <param name="Pipeline">The pipeline, for a pipeline step; null otherwise.</param>
/// <param name="Step">The step's id in its pipeline, or the execution's kind (<c>card</c>) for other work.</param>
/// <param name="FinishedAt">When it ended.</param>
/// <param name="Cases">Every case the runner kept, secrets masked (empty for a step that reported only coverage).</param>
public sealed record StepTestRun(
    string ExecutionId, string RepoId, string Branch, string? CommitSha, string? Pipeline, string Step, DateTimeOffset FinishedAt, IReadOnlyList<TestCaseResult> Cases)
{
    /// <summary>The pipeline run the step is part of, if any.</summary>
    public string? RunId { get; init; }

    /// <summary>The coverage the step's Cobertura or lcov files report, if any.</summary>
    public CoverageSummary? Coverage { get; init; }
}

/// <summary>Which of a step's failed tests do not fail it (quarantined) and which are known to be flaky.</summary>
/// <param name="Quarantined">Failed tests that are quarantined in the repo.</param>
/// <param name="Flaky">Tests of the step (failed or not) the history calls flaky, including this run.</param>
public sealed record TestVerdict(IReadOnlyList<string> Quarantined, IReadOnlyList<string> Flaky)
{
    /// <summary>No history was consulted: no test is quarantined, flaky or known on the base branch.</summary>
    public static TestVerdict None { get; } = new([], []) { Judged = false };

    /// <summary>Failed tests whose latest result on the repo's default branch was a failure too (not new on this branch).</summary>
    public IReadOnlyList<string> FailingOnBase { get; init; } = [];

    /// <summary>Whether the history judged the tests (false for <see cref="None"/>).</summary>
    public bool Judged { get; init; } = true;
}

/// <summary>
/// The test history (kept by the Reports module), as Execution asks it when a step with test cases ends: first which of
/// its failures are quarantined or flaky, so the step's outcome and counts say so, then to stage the cases (in short
/// transactions of their own, a large report not holding the write lock for long), then to record them in the transaction
/// that records the end, so a step's result and its cases count together or not at all.
/// </summary>
public interface IStepTestHistory
{
    /// <summary>The quarantined failures of <paramref name="run"/> and its flaky tests, judged with this run counted.</summary>
    Task<TestVerdict> JudgeAsync(StepTestRun run, CancellationToken ct);

    /// <summary>
    /// Stores every case of <paramref name="run"/> ahead of <see cref="RecordAsync"/>, in batches of short transactions;
    /// nothing staged counts in the history until the run is recorded. Staging again (after a crash) replaces what was
    /// staged; staging an execution recorded already stores nothing.
    /// </summary>
    Task StageAsync(StepTestRun run, CancellationToken ct);

    /// <summary>Records <paramref name="run"/>, staged before, in <paramref name="tx"/>; a second call for the same execution stores nothing.</summary>
    Task RecordAsync(WriteTransaction tx, StepTestRun run, CancellationToken ct);
}
