using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Data;
using LazyAf.Modules.Cards.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Cards.Features.CardTransitions;

internal static class CardTransitionsEndpoint
{
    public static void MapCardTransitions(this IEndpointRouteBuilder api) =>
        api.MapGet("/cards/{id}/events", async Task<Results<Ok<IReadOnlyList<CardHistoryStore.TransitionEntry>>, NotFoundProblem>> (
                string id, CardWorkflow workflow, CardHistoryStore history, CancellationToken ct) =>
                await workflow.LoadAsync(id, ct) is null
                    ? Problems.NotFound("card", id)
                    : TypedResults.Ok(await history.TransitionsAsync(id, ct)))
            .WithName("CardEvents")
            .WithSummary("Every status change of a card: from, to, trigger, who and why, when");
}
