using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Domain;
using LazyAf.Modules.Cards.Workflow;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Cards.Features.RejectCard;

internal static class RejectCardEndpoint
{
    public sealed record Request(string? Reason);

    public static void MapRejectCard(this IEndpointRouteBuilder api) =>
        api.MapPost("/cards/{id}/reject", HandleAsync)
            .WithName("RejectCard")
            .WithSummary("Send a card in review back to todo, with an optional reason");

    private static async Task<Results<Ok<CardResponse>, ProblemHttpResult>> HandleAsync(
        string id, Request? request, CardWorkflow workflow, CardView view, HttpContext http, CancellationToken ct)
    {
        using var _ = await CardWorkflow.LockAsync(id, ct);
        if (await workflow.LoadAsync(id, ct) is not { } card)
            return Problems.NotFound("card", id);
        var moved = await workflow.MoveAsync(card, CardTrigger.Reject, Actor.Of(http), request?.Reason, ct);
        return moved.Outcome == CardWorkflow.Outcome.Moved
            ? TypedResults.Ok(await view.OfAsync(moved.Card, ct))
            : CardProblems.Of(moved, CardTrigger.Reject);
    }
}
