namespace LazyAf.Modules.Execution.Contracts;

/// <summary>The files a finished step left in its workspace that its <see cref="StepDefinition.Artifacts"/> name.</summary>
/// <param name="ExecutionId">The execution.</param>
/// <param name="RepoId">Its repo (artifacts are capped per repo).</param>
/// <param name="Workspace">The workspace directory, still leased while the artifacts are collected.</param>
/// <param name="Globs">The step's <c>artifacts</c>: paths or globs relative to <paramref name="Workspace"/>.</param>
public sealed record StepArtifactSource(string ExecutionId, string RepoId, string Workspace, IReadOnlyList<string> Globs);

/// <summary>
/// Where a step's artifacts are kept (the Reports module): an executor hands it the workspace after the step, before the
/// workspace is released, and a problem (a glob that leaves the workspace, an artifact over a cap, a full disk) fails the step.
/// </summary>
public interface IStepArtifacts
{
    /// <summary>The largest one artifact may be (<c>Reports:MaxArtifactBytes</c>): a remote runner refuses a bigger one before sending it.</summary>
    long MaxArtifactBytes { get; }

    /// <summary>Keeps every file <paramref name="source"/>'s globs match; returns why one could not be kept (naming it), or null.</summary>
    Task<string?> KeepAsync(StepArtifactSource source, CancellationToken ct);
}
