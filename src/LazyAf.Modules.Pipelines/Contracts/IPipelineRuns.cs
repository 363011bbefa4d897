namespace LazyAf.Modules.Pipelines.Contracts;

/// <summary>Starts pipeline runs; idempotent by <see cref="PipelineRunRequest.DedupKey"/>.</summary>
public interface IPipelineRuns
{
    /// <summary>
    /// Starts a run of the pipeline named <c>request.Pipeline</c> in <c>request.RepoId</c>, unless a run with the
    /// same <see cref="PipelineRunRequest.DedupKey"/> exists (then returns that one with <c>Created = false</c>).
    /// </summary>
    /// <exception cref="PipelineRunRefusedException">The repo, branch, commit or pipeline does not exist, or the pipeline is invalid.</exception>
    Task<PipelineRunStart> StartAsync(PipelineRunRequest request, CancellationToken ct);
}

/// <summary>
/// What to run. <see cref="Pipeline"/> is a name: a pipeline stored in the DB for the repo, or a
/// <c>.lazyaf/pipelines/*.yml</c> file on <see cref="Branch"/>; when both exist, the repo file wins (the branch
/// being built says how it is built). <see cref="Commit"/> null means the branch head at start, which is recorded
/// on the run: a run never silently builds the default branch.
/// </summary>
/// <param name="RepoId">The repo.</param>
/// <param name="Pipeline">The pipeline's name.</param>
/// <param name="Branch">The branch to build.</param>
/// <param name="Commit">The commit to build; null for the branch head at start.</param>
/// <param name="TriggerKind"><c>manual</c>, <c>card_complete</c>, <c>push</c>, <c>webhook</c>, <c>schedule</c> or <c>pipeline</c>.</param>
/// <param name="Params">Parameters; each reaches every step as an environment variable.</param>
public sealed record PipelineRunRequest(string RepoId, string Pipeline, string Branch, string? Commit, string TriggerKind, IReadOnlyDictionary<string, string> Params)
{
    /// <summary>The card whose branch is built; its steps work on (and may commit fixes to) that branch.</summary>
    public string? CardId { get; init; }

    /// <summary>One run per key, e.g. <c>{pipeline}:{trigger kind}:{sha}</c>; null never deduplicates.</summary>
    public string? DedupKey { get; init; }

    /// <summary>The trigger that asked for the run, for its owner to find it again.</summary>
    public string? TriggerId { get; init; }
}

/// <summary>The run that was started, or the existing one with the same dedup key.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Created">False when a run with the same dedup key already existed.</param>
public sealed record PipelineRunStart(string RunId, bool Created);

/// <summary>A run could not be started: unknown repo, branch, commit or pipeline, or an invalid pipeline.</summary>
public sealed class PipelineRunRefusedException : Exception
{
    /// <summary>Creates it with the reason.</summary>
    public PipelineRunRefusedException(string message) : base(message)
    {
    }

    /// <summary>Creates it with the reason and its cause.</summary>
    public PipelineRunRefusedException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>Creates it with a generic reason.</summary>
    public PipelineRunRefusedException() : base("The pipeline run was refused.")
    {
    }
}
