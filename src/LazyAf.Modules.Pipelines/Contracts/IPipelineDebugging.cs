using LazyAf.Modules.Execution.Contracts;

namespace LazyAf.Modules.Pipelines.Contracts;

/// <summary>Debug re-runs, for the Debug module: runs that pause before chosen steps, and what is done with a paused run.</summary>
public interface IPipelineDebugging
{
    /// <summary>
    /// Starts a new run of <paramref name="runId"/>'s pipeline (the definition, branch and params it ran with) on its
    /// commit, or on <paramref name="commit"/>, that pauses before each of <paramref name="breakpoints"/> (step ids or
    /// names) and, with <paramref name="pauseOnFailure"/>, after any step that fails (instead of failing), keeping the
    /// workspace the step left. Null when there is no such run.
    /// </summary>
    /// <exception cref="PipelineRunRefusedException">A breakpoint names no step of the pipeline (the message names it), or the run has no definition to re-run.</exception>
    Task<PipelineRunStart?> StartRerunAsync(string runId, IReadOnlyList<string> breakpoints, bool pauseOnFailure, string? commit, CancellationToken ct);

    /// <summary>
    /// Lets a paused run go on: before a step, the step starts and the run's later breakpoints still hold; after a
    /// failure, the failure stands and is routed as it would have been (<c>on_failure</c>).
    /// </summary>
    Task<PausedRunChange> ResumeAsync(string runId, CancellationToken ct);

    /// <summary>
    /// A run paused after a failure runs the failed step again, in the same workspace; the new attempt's result
    /// replaces the failure. <see cref="PausedRunChange.NotAllowed"/> when the run is not paused after a failure.
    /// </summary>
    Task<PausedRunChange> RerunStepAsync(string runId, CancellationToken ct);

    /// <summary>
    /// A run paused after a failure records the failed step as <paramref name="passed"/> or failed by a person's
    /// decision (<paramref name="note"/> says whose and why, in the step's error and its log) and goes on from there.
    /// <see cref="PausedRunChange.NotAllowed"/> when the run is not paused after a failure.
    /// </summary>
    Task<PausedRunChange> MarkStepAsync(string runId, bool passed, string note, CancellationToken ct);

    /// <summary>Cancels a run that has not ended (paused or not) with <paramref name="reason"/>, and its running steps.</summary>
    Task<PausedRunChange> AbortAsync(string runId, string reason, CancellationToken ct);

    /// <summary>
    /// The execution the paused step would run as: what its environment is made from (its step, env, commit and
    /// workspace key), and whether the step already ran and failed there. It is not requested; null when the run is not paused.
    /// </summary>
    Task<PausedStepRequest?> PausedStepAsync(string runId, CancellationToken ct);
}

/// <summary>The paused step of a run, as an execution request that is not requested.</summary>
/// <param name="Request">What its environment is made from.</param>
/// <param name="AfterFailure">The step ran and failed: its workspace (<see cref="ExecutionRequested.WorkspaceKey"/>) holds what it left.</param>
public sealed record PausedStepRequest(ExecutionRequested Request, bool AfterFailure);

/// <summary>How a resume or an abort went.</summary>
public enum PausedRunChange
{
    /// <summary>Done.</summary>
    Done,

    /// <summary>There is no such run.</summary>
    NotFound,

    /// <summary>The run is not in a state that allows it (not paused for a resume; ended for an abort).</summary>
    NotAllowed,

    /// <summary>It changed meanwhile; asking again settles it.</summary>
    ChangedMeanwhile,
}
