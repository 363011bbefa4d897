using LazyAf.Kernel.Events;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Triggers.Data;

namespace LazyAf.Modules.Triggers.Handlers;

/// <summary>Keeps the scheduler's list of repos: added when created (and on any push); a deleted repo is forgotten with its webhooks and firings.</summary>
internal sealed class TrackRepos(KnownRepoStore knownRepos) : IIntegrationEventHandler<RepoCreated>, IIntegrationEventHandler<RepoDeleted>
{
    public Task HandleAsync(RepoCreated @event, EventContext context, CancellationToken ct) => knownRepos.RememberAsync(@event.Repo.Id, ct);

    public Task HandleAsync(RepoDeleted @event, EventContext context, CancellationToken ct) => knownRepos.ForgetAsync(@event.RepoId, ct);
}
