using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Domain;
using LazyAf.Modules.Cards.Features.StartCard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Cards.Features.FollowUp;

/// <summary>A follow-up: what to tell the agent next.</summary>
internal sealed record FollowUpRequest(string? Message);

/// <summary>
/// <c>POST /api/cards/{id}/follow-up</c>: continues the agent's session of a reviewed or failed agent card with a
/// new message, on the same branch, as a new attempt (its work is a new commit on the card's branch).
/// </summary>
internal static class FollowUpEndpoint
{
    public static void MapFollowUp(this IEndpointRouteBuilder api) =>
        api.MapPost("/cards/{id}/follow-up", async Task<Results<Accepted<CardResponse>, ValidationProblem, NotFoundProblem, ConflictProblem>> (
                string id, FollowUpRequest request, StartServices services, HttpContext http, CancellationToken ct) =>
            {
                if (string.IsNullOrWhiteSpace(request.Message))
                    return Problems.Invalid("message", "message is required: what the agent should do next.");
                return (await StartCardEndpoints.HandleAsync(id, CardTrigger.FollowUp, request.Message, services, Actor.Of(http), ct)).Result switch
                {
                    Accepted<CardResponse> accepted => accepted,
                    NotFoundProblem notFound => notFound,
                    ConflictProblem conflict => conflict,
                    var other => throw new InvalidOperationException($"unexpected result {other}"),
                };
            })
            .WithName("FollowUpCard")
            .WithSummary("Continue the card's agent session with a message, as a new attempt on the same branch");
}
