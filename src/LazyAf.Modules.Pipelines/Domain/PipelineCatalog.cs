using LazyAf.Modules.Pipelines.Contracts;

namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>The pipelines a branch sees, with their triggers, and the files that are not pipelines, for the Triggers module.</summary>
internal sealed class PipelineCatalog(PipelineSources sources) : IPipelineCatalog
{
    public async Task<IReadOnlyList<PipelineTriggers>> ListAsync(string repoId, string branch, CancellationToken ct) =>
        [.. (await sources.AllAsync(repoId, branch, ct))
            .Where(p => p.Read.Definition is not null)
            .Select(p => new PipelineTriggers(p.Name, p.Source, p.Read.Definition!.Triggers))];

    public async Task<IReadOnlyList<InvalidPipelineFile>> InvalidFilesAsync(string repoId, string branch, CancellationToken ct) =>
        [.. (await sources.FilesAsync(repoId, branch, ct) ?? [])
            .Where(p => p.Read.Definition is null)
            .Select(p => new InvalidPipelineFile(p.Name, p.Path!, [.. p.Read.Errors.Select(e => $"{e.Line}:{e.Column}: {e.Message}")]))];
}
