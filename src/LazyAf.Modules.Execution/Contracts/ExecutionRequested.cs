using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Runner.Agents;

namespace LazyAf.Modules.Execution.Contracts;

/// <summary>
/// Asks for a step to be run. Requested through <see cref="IStepExecutions.RequestAsync"/> by the module that wants the
/// work (Cards, Pipelines, Agents' playground), in the transaction of its own change; Execution creates the execution
/// once per <see cref="IdempotencyKey"/>, however often the request is delivered.
/// </summary>
/// <param name="ExecutionId">The id the execution gets (chosen by the requester, so it can record it at once).</param>
/// <param name="IdempotencyKey">e.g. <c>card:{id}:attempt:{n}</c>; the same key never runs twice.</param>
/// <param name="Kind"><c>card</c>, <c>pipeline_step</c>, <c>playground</c> or <c>debug</c>.</param>
/// <param name="SubjectId">What the execution is for (the card id, …).</param>
/// <param name="RepoId">The repo whose code the step works on.</param>
/// <param name="BaseBranch">The branch the work starts from.</param>
/// <param name="WorkBranch">The branch the result is pushed to.</param>
/// <param name="Step">The step to run, read and checked by <see cref="StepSchema"/>; its <c>requires</c> choose the executor.</param>
/// <param name="Title">What the step is for, for its context and commit message.</param>
/// <param name="Description">More of what it is for.</param>
/// <param name="TimeoutSeconds">When to kill it, unless the step's own <see cref="StepDefinition.TimeoutSeconds"/> says.</param>
/// <param name="Attempt">Which attempt of its subject this is (1 for a first run, 2 for the first retry, …).</param>
/// <param name="BaseCommit">A commit to start a new work branch from instead of the tip of <paramref name="BaseBranch"/> (the one the requester saw).</param>
[IntegrationEvent("execution.requested")]
public sealed record ExecutionRequested(
    string ExecutionId,
    string IdempotencyKey,
    string Kind,
    string? SubjectId,
    string RepoId,
    string BaseBranch,
    string WorkBranch,
    StepDefinition Step,
    string Title,
    string Description,
    int TimeoutSeconds,
    int Attempt = 1,
    string? BaseCommit = null) : IIntegrationEvent
{
    /// <inheritdoc />
    public IReadOnlyList<string> Topics() => [$"repo:{RepoId}", $"execution:{ExecutionId}"];

    /// <summary>The workspace lease key (e.g. <c>run:{id}</c>) when steps share a workspace; its owner releases it. Null: a workspace of its own, removed when the step ends.</summary>
    public string? WorkspaceKey { get; init; }

    /// <summary>The pipeline run the step is part of, if any; the docker steps of one run share a network.</summary>
    public string? RunId { get; init; }

    /// <summary>The pipeline whose step this is, if any; the test history and artifacts are keyed by it.</summary>
    public string? Pipeline { get; init; }

    /// <summary>The step's id in <see cref="Pipeline"/>, if it is a pipeline step.</summary>
    public string? StepId { get; init; }

    /// <summary>Earlier steps (outcome, log tail, tests), written to the step's <c>.lazyaf-context/</c>.</summary>
    public IReadOnlyList<PreviousStepOutcome>? PreviousSteps { get; init; }
}

/// <summary>An earlier step, for the context of the next (a fix step gets the failure it is to fix).</summary>
/// <param name="Name">The step's name.</param>
/// <param name="State">How it ended.</param>
/// <param name="ExitCode">Its exit code, when it exited.</param>
/// <param name="Error">Why it failed, in one line.</param>
/// <param name="LogTail">The end of its log.</param>
/// <param name="Tests">Its test counts and failing tests, when reports were found.</param>
public sealed record PreviousStepOutcome(string Name, ExecutionState State, int? ExitCode, string? Error, string LogTail, TestCounts? Tests);

/// <summary>What other modules may ask of Execution: to run steps, to stop them, and what they did.</summary>
public interface IStepExecutions
{
    /// <summary>
    /// Requests an execution in the requester's transaction: the pending execution is stored in <paramref name="tx"/>
    /// beside the durable <see cref="ExecutionRequested"/>, so it exists as soon as what the requester wrote (a run's
    /// step, a card's attempt) can be read, and is routed once <paramref name="tx"/> commits. Nothing happens if it rolls back.
    /// </summary>
    Task RequestAsync(WriteTransaction tx, ExecutionRequested request, CancellationToken ct);

    /// <summary>
    /// Cancels an execution: one that has not started ends <c>cancelled</c> at once, a running one is killed by the
    /// executor that holds it, which then records <c>cancelled</c>.
    /// </summary>
    Task<CancelOutcome> CancelAsync(string executionId, CancellationToken ct);

    /// <summary>The last <paramref name="maxChars"/> characters of an execution's stored output (secrets masked); empty when there is none.</summary>
    Task<string> LogTailAsync(string executionId, int maxChars, CancellationToken ct);

    /// <summary>
    /// Adds a line of LazyAF's own (<c>[LazyAF: …]</c>) to the end of an execution's log, such as a decision a person took
    /// about its outcome; false when there is no such execution.
    /// </summary>
    Task<bool> NoteAsync(string executionId, string note, CancellationToken ct);

    /// <summary>An execution as it is now, with its usage; null when there is none with this id (yet).</summary>
    Task<ExecutionSnapshot?> FindAsync(string executionId, CancellationToken ct);

    /// <summary>The executions of <paramref name="executionIds"/> that exist, as they are now.</summary>
    Task<IReadOnlyList<ExecutionSnapshot>> FindAsync(IReadOnlyCollection<string> executionIds, CancellationToken ct);

    /// <summary>An agent execution's typed events after <paramref name="afterSeq"/>, in order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<RecordedAgentEvent>> AgentEventsAsync(string executionId, long afterSeq, int limit, CancellationToken ct);
}

/// <summary>How a cancel went.</summary>
public enum CancelOutcome
{
    /// <summary>No execution has this id (a request not yet created is not found either).</summary>
    NotFound,

    /// <summary>It had already ended; nothing changed.</summary>
    AlreadyFinished,

    /// <summary>It is running: its executor is killing it and records <c>cancelled</c> when it has.</summary>
    Stopping,

    /// <summary>It had not started and is now <c>cancelled</c>.</summary>
    Cancelled,

    /// <summary>It changed state while being cancelled; asking again settles it.</summary>
    ChangedMeanwhile,
}

/// <summary>One stored agent event of an execution.</summary>
/// <param name="Seq">Its place among the execution's events, from 1.</param>
/// <param name="At">When it was stored.</param>
/// <param name="Event">The event.</param>
public sealed record RecordedAgentEvent(long Seq, DateTimeOffset At, AgentEvent Event);

/// <summary>The agent CLIs this host's executors can run, for the agent catalog and for checking an agent a request names.</summary>
public interface IAgentCliInventory
{
    /// <summary>Every agent kind an executor knows, with where its CLI is (null when it is not installed).</summary>
    IReadOnlyList<AgentCliLocation> List();
}

/// <summary>An agent CLI an executor knows.</summary>
/// <param name="Kind"><c>claude-code</c>, <c>gemini</c>, <c>codex</c> or <c>command</c>.</param>
/// <param name="Path">The program it would run; null when it is not installed.</param>
/// <param name="Executor">The executor that runs it (<c>local</c>).</param>
public sealed record AgentCliLocation(string Kind, string? Path, string Executor);
