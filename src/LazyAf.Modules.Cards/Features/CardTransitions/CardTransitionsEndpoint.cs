using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Data;
using LazyAf.Modules.Cards.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Cards.Features.CardTransitions;

/// <summary>One status change of a card, as <c>GET /api/cards/{id}/events</c> lists it.</summary>
/// <param name="Id">Its place in the card's history: later changes have larger ids.</param>
/// <param name="FromStatus">The status the card left.</param>
/// <param name="ToStatus">The status it reached.</param>
/// <param name="Trigger">What moved it (the card machine's trigger, such as <c>start</c>, <c>approve</c> or <c>retry</c>).</param>
/// <param name="Actor">Who: the user's name with the client's label (<c>owner via board</c>), or the part of LazyAF that moved it.</param>
/// <param name="Reason">Why, when someone said (a rejection's reason, a failure).</param>
/// <param name="At">When.</param>
internal sealed record CardTransitionResponse(long Id, string FromStatus, string ToStatus, string Trigger, string Actor, string? Reason, DateTimeOffset At)
{
    public static CardTransitionResponse From(CardHistoryStore.TransitionEntry entry) =>
        new(entry.Id, entry.FromStatus, entry.ToStatus, entry.Trigger, entry.Actor, entry.Reason, entry.At);
}

internal static class CardTransitionsEndpoint
{
    public static void MapCardTransitions(this IEndpointRouteBuilder api) =>
        api.MapGet("/cards/{id}/events", async Task<Results<Ok<IReadOnlyList<CardTransitionResponse>>, NotFoundProblem>> (
                string id, CardWorkflow workflow, CardHistoryStore history, CancellationToken ct) =>
                await workflow.LoadAsync(id, ct) is null
                    ? Problems.NotFound("card", id)
                    : TypedResults.Ok<IReadOnlyList<CardTransitionResponse>>([.. (await history.TransitionsAsync(id, ct)).Select(CardTransitionResponse.From)]))
            .WithName("CardEvents")
            .WithSummary("Every status change of a card: from, to, trigger, who and why, when");
}
