using LazyAf.Modules.Pipelines.Contracts;

namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>The valid pipelines a branch sees, with their triggers, for the Triggers module.</summary>
internal sealed class PipelineCatalog(PipelineSources sources) : IPipelineCatalog
{
    public async Task<IReadOnlyList<PipelineTriggers>> ListAsync(string repoId, string branch, CancellationToken ct) =>
        [.. (await sources.AllAsync(repoId, branch, ct))
            .Where(p => p.Read.Definition is not null)
            .Select(p => new PipelineTriggers(p.Name, p.Source, p.Read.Definition!.Triggers))];
}
