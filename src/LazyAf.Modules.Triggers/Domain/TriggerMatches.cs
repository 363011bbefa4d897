using LazyAf.Modules.Pipelines.Contracts;

namespace LazyAf.Modules.Triggers.Domain;

/// <summary>The pipelines a branch defines (in the DB and in its <c>.lazyaf/pipelines</c>) with a trigger of one kind.</summary>
internal sealed class TriggerMatches(IPipelineCatalog catalog)
{
    /// <summary>Each pipeline with its first trigger of <paramref name="kind"/> that <paramref name="applies"/>.</summary>
    public async Task<IReadOnlyList<(string Pipeline, PipelineTrigger Trigger)>> OnBranchAsync(
        string repoId, string branch, string kind, Func<PipelineTrigger, bool> applies, CancellationToken ct)
    {
        var pipelines = await catalog.ListAsync(repoId, branch, ct);
        return [.. pipelines
            .Select(p => (p.Name, Trigger: p.Triggers.FirstOrDefault(t => t.Kind == kind && applies(t))))
            .Where(m => m.Trigger is not null)
            .Select(m => (m.Name, m.Trigger!))];
    }
}
