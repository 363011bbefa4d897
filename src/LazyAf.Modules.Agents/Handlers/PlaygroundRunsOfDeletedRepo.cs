using LazyAf.Kernel.Events;
using LazyAf.Modules.Agents.Data;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Agents.Handlers;

/// <summary>A deleted repo's playground runs go with it; Execution stops and deletes their executions.</summary>
internal sealed class PlaygroundRunsOfDeletedRepo(PlaygroundStore runs, ILogger<PlaygroundRunsOfDeletedRepo> logger) : IIntegrationEventHandler<RepoDeleted>
{
    public async Task HandleAsync(RepoDeleted @event, EventContext context, CancellationToken ct)
    {
        await runs.DeleteOfRepoAsync(@event.RepoId, ct);
        logger.LogInformation("Deleted the playground runs of deleted repo {RepoId}", @event.RepoId);
    }
}
