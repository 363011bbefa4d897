using LazyAf.Kernel.Events;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Contracts;
using LazyAf.Modules.Cards.Domain;
using LazyAf.Modules.Cards.Features;
using LazyAf.Modules.Cards.Features.StartCard;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Cards.Handlers;

/// <summary>
/// Starts an <c>auto_start</c> card once it is ready, as a person pressing Start would. A card that cannot start now
/// (started already on a redelivery, moved or deleted meanwhile, its repo gone) is left as it is, with the reason logged.
/// </summary>
internal sealed class StartReadyCard(StartServices services, ILogger<StartReadyCard> logger) : IIntegrationEventHandler<CardReadyToStart>
{
    /// <summary>Who started a card that started itself, in its history.</summary>
    public const string Actor = "lazyaf (auto_start)";

    public async Task HandleAsync(CardReadyToStart @event, EventContext context, CancellationToken ct)
    {
        var started = await StartCardEndpoints.HandleAsync(@event.CardId, CardTrigger.Start, null, services, Actor, ct);
        switch (started.Result)
        {
            case Accepted<CardResponse>:
                logger.LogInformation("Auto-started card {CardId}{UnblockedBy}", @event.CardId, @event.UnblockedBy is { } blocker ? $" (unblocked by {blocker})" : "");
                break;
            case ConflictProblem conflict:
                logger.LogWarning("Card {CardId} is ready but did not auto-start: {Reason}", @event.CardId, conflict.ProblemDetails.Detail);
                break;
            default:
                logger.LogWarning("Card {CardId} is ready but is gone", @event.CardId);
                break;
        }
    }
}
