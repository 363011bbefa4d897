using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Cards.Data;
using LazyAf.Modules.Cards.Domain;
using LazyAf.Modules.Cards.Features.DeleteCard;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Cards.Handlers;

/// <summary>
/// A deleted repo's cards go with it, whatever their state (Execution cancels the work still running), each with its
/// history, attempts and dependencies and a <c>card.deleted</c> event for the boards showing it.
/// </summary>
internal sealed class CardsOfDeletedRepo(CardStore cards, IDatabase database, IEventOutbox outbox, ILogger<CardsOfDeletedRepo> logger)
    : IIntegrationEventHandler<RepoDeleted>
{
    public async Task HandleAsync(RepoDeleted @event, EventContext context, CancellationToken ct)
    {
        var deleted = 0;
        foreach (var card in await cards.ListAsync(@event.RepoId, null, ct))
        {
            using var _ = await CardWorkflow.LockAsync(card.Id, ct);
            if (await DeleteCardEndpoint.DeleteAsync(database, outbox, card.Id, @event.RepoId, ct))
                deleted++;
        }
        logger.LogInformation("Deleted {Count} card(s) of deleted repo {RepoId}", deleted, @event.RepoId);
    }
}
