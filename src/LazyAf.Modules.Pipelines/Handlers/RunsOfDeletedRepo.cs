using LazyAf.Kernel.Events;
using LazyAf.Modules.Pipelines.Data;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Pipelines.Handlers;

/// <summary>
/// A deleted repo's stored pipelines and runs go with it. Steps still running are cancelled by Execution; their ends
/// then find no run to follow.
/// </summary>
internal sealed class RunsOfDeletedRepo(PipelineStore pipelines, RunStore runs, ILogger<RunsOfDeletedRepo> logger) : IIntegrationEventHandler<RepoDeleted>
{
    public async Task HandleAsync(RepoDeleted @event, EventContext context, CancellationToken ct)
    {
        await runs.DeleteOfRepoAsync(@event.RepoId, ct);
        await pipelines.DeleteOfRepoAsync(@event.RepoId, ct);
        logger.LogInformation("Deleted the pipelines and runs of deleted repo {RepoId}", @event.RepoId);
    }
}
