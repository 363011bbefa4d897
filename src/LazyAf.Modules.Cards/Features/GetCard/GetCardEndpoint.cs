using LazyAf.Kernel.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Cards.Features.GetCard;

internal static class GetCardEndpoint
{
    public static void MapGetCard(this IEndpointRouteBuilder api) =>
        api.MapGet("/cards/{id}", async Task<Results<Ok<CardResponse>, NotFoundProblem>> (string id, CardView view, CancellationToken ct) =>
                await view.FindAsync(id, ct) is { } card ? TypedResults.Ok(card) : Problems.NotFound("card", id))
            .WithName("GetCard")
            .WithSummary("One card with its blockers, attempts and allowed transitions");
}
