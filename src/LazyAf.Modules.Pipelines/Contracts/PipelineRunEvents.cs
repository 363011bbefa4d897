using LazyAf.Kernel.Events;

namespace LazyAf.Modules.Pipelines.Contracts;

/// <summary>Where a pipeline run is; the run state machine moves it.</summary>
public enum PipelineRunState
{
    /// <summary>Created; no step has started yet.</summary>
    Pending,

    /// <summary>Steps are running or waiting for their <c>needs</c>.</summary>
    Running,

    /// <summary>A debug re-run waits before a breakpoint step until it is resumed or aborted; steps already running go on.</summary>
    Paused,

    /// <summary>Every step that ran passed (or its failure was routed to something that passed). Final.</summary>
    Passed,

    /// <summary>A step failed with nothing to route to, the fix loop gave up, or the pipeline could not run. Final.</summary>
    Failed,

    /// <summary>Cancelled on request. Final.</summary>
    Cancelled,
}

/// <summary>A pipeline run as events carry it.</summary>
/// <param name="Id">The run id.</param>
/// <param name="RepoId">The repo.</param>
/// <param name="Pipeline">The pipeline's name.</param>
/// <param name="Branch">The branch it builds.</param>
/// <param name="CommitSha">The commit it builds.</param>
/// <param name="State">Where it is.</param>
/// <param name="TriggerKind">What started it.</param>
/// <param name="TriggerId">The trigger that started it, if any.</param>
/// <param name="CardId">The card whose branch it builds, if any.</param>
/// <param name="Error">Why it failed, in one line.</param>
public sealed record PipelineRunSnapshot(
    string Id, string RepoId, string Pipeline, string Branch, string? CommitSha, PipelineRunState State, string TriggerKind, string? TriggerId, string? CardId, string? Error)
{
    /// <summary>The branch its steps commit to: the card's branch for a card's run, <c>lazyaf/run-{id}</c> otherwise.</summary>
    public string? WorkBranch { get; init; }

    /// <summary>
    /// Once it has ended: the commit it ended with, the work branch's tip (<see cref="CommitSha"/> plus what its steps
    /// committed, a fix for one). This is what was tested, and what an <c>on_pass: merge</c> merges.
    /// </summary>
    public string? HeadSha { get; init; }
}

/// <summary>A pipeline run was created, changed state, or one of its steps started or ended.</summary>
/// <param name="Run">It, after the change.</param>
[IntegrationEvent("pipeline_run.updated")]
public sealed record PipelineRunUpdated(PipelineRunSnapshot Run) : IIntegrationEvent
{
    /// <inheritdoc />
    public IReadOnlyList<string> Topics() => Run.CardId is { } card
        ? [$"repo:{Run.RepoId}", $"pipeline_run:{Run.Id}", $"card:{card}"]
        : [$"repo:{Run.RepoId}", $"pipeline_run:{Run.Id}"];
}

/// <summary>A debug re-run paused before a breakpoint step, or after a step failed; nothing new starts until it is resumed or cancelled.</summary>
/// <param name="Run">It, paused.</param>
/// <param name="StepId">The step it paused before (not started yet), or after (it failed).</param>
[IntegrationEvent("pipeline_run.paused")]
public sealed record PipelineRunPaused(PipelineRunSnapshot Run, string StepId) : IIntegrationEvent
{
    /// <summary>The run paused after <see cref="StepId"/> failed (with <c>pause_on_failure</c>), not before it.</summary>
    public bool AfterFailure { get; init; }

    /// <summary>After a failure: the failed attempt (each failure of a step is its own pause); 0 before a step.</summary>
    public int Attempt { get; init; }

    /// <inheritdoc />
    public IReadOnlyList<string> Topics() => [$"repo:{Run.RepoId}", $"pipeline_run:{Run.Id}"];
}
