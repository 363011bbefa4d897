namespace LazyAf.Modules.Pipelines.Contracts;

/// <summary>Pipelines of a repo as a branch sees them (DB ones + the branch's <c>.lazyaf/pipelines/*.yml</c>), with their triggers, for the Triggers module.</summary>
public interface IPipelineCatalog
{
    /// <summary>The valid pipelines of <paramref name="repoId"/> on <paramref name="branch"/>; a repo file hides a DB pipeline of the same name. Invalid files are left out.</summary>
    Task<IReadOnlyList<PipelineTriggers>> ListAsync(string repoId, string branch, CancellationToken ct);

    /// <summary>The branch's <c>.lazyaf/pipelines/*.yml</c> files that do not read as a pipeline, with why.</summary>
    Task<IReadOnlyList<InvalidPipelineFile>> InvalidFilesAsync(string repoId, string branch, CancellationToken ct);
}

/// <summary>A pipeline file on a branch that is not a valid pipeline.</summary>
/// <param name="Name">The pipeline's name as far as it reads (else the file's name without extension): what a run of it is called.</param>
/// <param name="Path">The file, from the repo's root.</param>
/// <param name="Errors">Each error as <c>line:column: message</c>.</param>
public sealed record InvalidPipelineFile(string Name, string Path, IReadOnlyList<string> Errors);

/// <summary>A pipeline and its triggers.</summary>
/// <param name="Name">The pipeline's name (what <see cref="PipelineRunRequest.Pipeline"/> takes).</param>
/// <param name="Source"><c>db</c> or <c>repo</c>.</param>
/// <param name="Triggers">Its <c>triggers:</c> entries.</param>
public sealed record PipelineTriggers(string Name, string Source, IReadOnlyList<PipelineTrigger> Triggers);

/// <summary>One <c>triggers:</c> entry.</summary>
/// <param name="Kind"><c>card_complete</c>, <c>push</c>, <c>webhook</c> or <c>schedule</c>.</param>
/// <param name="Branches">Branch globs (<c>main</c>, <c>feature/*</c>): required match for push, an optional filter for card_complete; empty = any.</param>
/// <param name="IncludeLazyafBranches">Push only: fire for <c>lazyaf/*</c> branches too (off by default, so runner pushes cannot loop).</param>
/// <param name="Cron">Schedule only: a five-field cron expression.</param>
/// <param name="OnPass"><c>merge</c>, <c>merge:{branch}</c> or <c>nothing</c>.</param>
/// <param name="OnFail"><c>fail</c>, <c>reject</c> or <c>nothing</c>.</param>
public sealed record PipelineTrigger(string Kind, IReadOnlyList<string> Branches, bool IncludeLazyafBranches, string? Cron, string OnPass, string OnFail);
