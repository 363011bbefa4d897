using LazyAf.Kernel.Events;

namespace LazyAf.Modules.Execution.Contracts;

/// <summary>
/// Asks for a step to be run. Published durably by the module that wants the work (Cards, later
/// Pipelines) in the transaction of its own change; Execution creates the execution once per
/// <see cref="IdempotencyKey"/>, however often the request is delivered.
/// </summary>
/// <param name="ExecutionId">The id the execution gets (chosen by the requester, so it can record it at once).</param>
/// <param name="IdempotencyKey">e.g. <c>card:{id}:attempt:{n}</c>; the same key never runs twice.</param>
/// <param name="Kind"><c>card</c>, <c>pipeline_step</c>, <c>playground</c> or <c>debug</c>.</param>
/// <param name="SubjectId">What the execution is for (the card id, …).</param>
/// <param name="RepoId">The repo whose code the step works on.</param>
/// <param name="BaseBranch">The branch the work starts from.</param>
/// <param name="WorkBranch">The branch the result is pushed to.</param>
/// <param name="StepType"><c>script</c>, <c>docker</c> or <c>agent</c>.</param>
/// <param name="StepConfig">The step's configuration as JSON (the card's <c>step_config</c>).</param>
/// <param name="Title">What the step is for, for its context and commit message.</param>
/// <param name="Description">More of what it is for.</param>
/// <param name="TimeoutSeconds">When to kill it.</param>
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
    string StepType,
    string StepConfig,
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

/// <summary>Creates executions now, for a requester that also published the durable <see cref="ExecutionRequested"/>.</summary>
public interface IStepExecutions
{
    /// <summary>
    /// Creates the execution unless its idempotency key exists. Called after the requester's
    /// transaction commits, so the execution exists when the requester answers its client; the
    /// durable event covers a crash in between.
    /// </summary>
    Task SubmitAsync(ExecutionRequested request, CancellationToken ct);

    /// <summary>
    /// Cancels an execution: one that has not started ends <c>cancelled</c> at once, a running one is killed by its
    /// executor, which then records <c>cancelled</c>. False when it does not exist or has already ended.
    /// </summary>
    Task<bool> CancelAsync(string executionId, CancellationToken ct);

    /// <summary>The last <paramref name="maxChars"/> characters of an execution's stored output (secrets masked); empty when there is none.</summary>
    Task<string> LogTailAsync(string executionId, int maxChars, CancellationToken ct);
}
