using LazyAf.Modules.Execution.Contracts;

namespace LazyAf.Modules.Pipelines.Contracts;

/// <summary>Debug re-runs, for the Debug module: runs that pause before chosen steps, and what is done with a paused run.</summary>
public interface IPipelineDebugging
{
    /// <summary>
    /// Starts a new run of <paramref name="runId"/>'s pipeline (the definition, branch and params it ran with) on its
    /// commit, or on <paramref name="commit"/>, that pauses before each of <paramref name="breakpoints"/> (step ids or
    /// names). Null when there is no such run.
    /// </summary>
    /// <exception cref="PipelineRunRefusedException">A breakpoint names no step of the pipeline (the message names it), or the run has no definition to re-run.</exception>
    Task<PipelineRunStart?> StartRerunAsync(string runId, IReadOnlyList<string> breakpoints, string? commit, CancellationToken ct);

    /// <summary>Lets a paused run go on: the step it waits before starts, and its later breakpoints still hold.</summary>
    Task<PausedRunChange> ResumeAsync(string runId, CancellationToken ct);

    /// <summary>Cancels a run that has not ended (paused or not) with <paramref name="reason"/>, and its running steps.</summary>
    Task<PausedRunChange> AbortAsync(string runId, string reason, CancellationToken ct);

    /// <summary>
    /// The execution the paused step would run as: what its environment is made from (its step, env, commit and
    /// workspace key). It is not requested; null when the run is not paused.
    /// </summary>
    Task<ExecutionRequested?> PausedStepAsync(string runId, CancellationToken ct);
}

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
