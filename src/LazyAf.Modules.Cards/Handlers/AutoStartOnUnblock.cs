using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Cards.Contracts;
using LazyAf.Modules.Cards.Data;
using LazyAf.Modules.Cards.Domain;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Cards.Handlers;

/// <summary>
/// When a card is done, releases each <c>auto_start</c> card it was the last open blocker of:
/// one <see cref="CardReadyToStart"/> per card, ever (<c>ready_at</c> is set in the same
/// transaction), however often this event is delivered.
/// </summary>
internal sealed class AutoStartOnUnblock(
    IDatabase database,
    DependencyStore dependencies,
    CardWorkflow workflow,
    IEventOutbox outbox,
    TimeProvider clock,
    ILogger<AutoStartOnUnblock> logger) : IIntegrationEventHandler<CardUpdated>
{
    private const string MarkReady = "UPDATE cards_cards SET ready_at = @Now WHERE id = @Id AND ready_at IS NULL AND auto_start = 1";

    public async Task HandleAsync(CardUpdated @event, EventContext context, CancellationToken ct)
    {
        if (@event.Transition?.To != CardStatus.Done)
            return;

        foreach (var dependentId in await dependencies.DependentsAsync(@event.Card.Id, ct))
        {
            if (await workflow.LoadAsync(dependentId, ct) is not { Row.AutoStart: true, Status: CardStatus.Todo, OpenBlockers.Count: 0 } dependent)
                continue;

            await using var tx = await database.BeginWriteAsync(ct);
            var marked = await tx.Connection.ExecuteAsync(new CommandDefinition(MarkReady, new { Id = dependent.Row.Id, Now = clock.GetUtcNow() }, tx.Transaction, cancellationToken: ct));
            if (marked == 0)
                continue;
            await outbox.EnqueueAsync(tx, new CardReadyToStart(dependent.Row.Id, dependent.Row.RepoId, @event.Card.Id), ct);
            await tx.CommitAsync(ct);
            logger.LogInformation("Card {CardId} is unblocked by {BlockerId} and ready to start", dependent.Row.Id, @event.Card.Id);
        }
    }
}
