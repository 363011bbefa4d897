using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Domain;
using LazyAf.Modules.Cards.Workflow;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Cards.Features.StartCard;

/// <summary>
/// <c>start</c> and <c>retry</c> run the card's step. The state machine's rules apply now (409 for a
/// blocked or finished card); the running itself is the Execution module's, so until a host has
/// it these answer 501 and leave the card as it was.
/// </summary>
internal static class StartCardEndpoints
{
    public static void MapStartCard(this IEndpointRouteBuilder api)
    {
        api.MapPost("/cards/{id}/start", (string id, CardWorkflow workflow, CancellationToken ct) => HandleAsync(id, CardTrigger.Start, workflow, ct))
            .WithName("StartCard")
            .WithSummary("Start the card's step (409 while a blocker is not done)");
        api.MapPost("/cards/{id}/retry", (string id, CardWorkflow workflow, CancellationToken ct) => HandleAsync(id, CardTrigger.Retry, workflow, ct))
            .WithName("RetryCard")
            .WithSummary("Run a failed or reviewed card again, as a new attempt on its branch");
    }

    private static async Task<ProblemHttpResult> HandleAsync(string id, CardTrigger trigger, CardWorkflow workflow, CancellationToken ct)
    {
        if (await workflow.LoadAsync(id, ct) is not { } card)
            return Problems.NotFound("card", id);
        return card.CanFire(trigger, out var unmet)
            ? CardProblems.NoExecutor(card, trigger)
            : CardProblems.NotAllowed(card, trigger, unmet);
    }
}
