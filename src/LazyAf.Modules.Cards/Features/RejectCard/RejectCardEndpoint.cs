using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Cards.Features.RejectCard;

internal static class RejectCardEndpoint
{
    public sealed record RejectCardRequest(string? Reason = null);

    public static void MapRejectCard(this IEndpointRouteBuilder api) =>
        api.MapPost("/cards/{id}/reject", HandleAsync)
            .WithName("RejectCard")
            .WithSummary("Send a card in review back to todo, with an optional reason");

    private static async Task<Results<Ok<CardResponse>, NotFoundProblem, ConflictProblem>> HandleAsync(
        string id, RejectCardRequest? request, CardDecisions decisions, CardView view, HttpContext http, CancellationToken ct)
    {
        var decision = await decisions.MoveAsync(id, CardTrigger.Reject, Actor.Of(http), request?.Reason, ct);
        return decision.Kind switch
        {
            CardDecisions.Kind.Moved => TypedResults.Ok(await view.OfAsync(decision.Move!.Card, ct)),
            CardDecisions.Kind.CardNotFound => Problems.NotFound("card", id),
            _ => CardProblems.Of(decision.Move!, CardTrigger.Reject),
        };
    }
}
