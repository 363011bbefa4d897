using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Data;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Pipelines.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Cards.Features.CancelCard;

/// <summary>
/// <c>POST /api/cards/{id}/cancel</c>: stops whatever works on the card now — its latest attempt's execution and the
/// pipeline runs building its branch — and says which. The card then follows its execution as it ends, as after any
/// cancel; a card that runs nothing is a 409.
/// </summary>
internal static class CancelCardEndpoint
{
    /// <summary>What was cancelled: the attempt's execution (<c>cancelled</c>, or <c>stopping</c> while its executor kills it) and the runs.</summary>
    public sealed record CancelCardResponse(string CardId, string Status, CancelledExecution? Execution, IReadOnlyList<string> PipelineRuns);

    /// <summary>The execution of attempt <paramref name="Attempt"/>, and how its cancel went.</summary>
    public sealed record CancelledExecution(string Id, long Attempt, string Outcome);

    public static void MapCancelCard(this IEndpointRouteBuilder api) =>
        api.MapPost("/cards/{id}/cancel", HandleAsync)
            .WithName("CancelCard")
            .WithSummary("Cancel the card's running step and the pipeline runs building its branch; 409 when nothing runs");

    private static async Task<Results<Ok<CancelCardResponse>, NotFoundProblem, ConflictProblem>> HandleAsync(
        string id, CardStore cards, CardHistoryStore history, IStepExecutions executions, ICardPipelineRuns runs, CancellationToken ct)
    {
        if (!Ids.IsValid(id) || await cards.FindAsync(id, ct) is not { } card)
            return Problems.NotFound("card", id);
        CancelledExecution? cancelled = null;
        var attempts = await history.AttemptsAsync(id, ct);
        if (attempts.Count > 0 && attempts[^1] is { ExecutionId: { } executionId, Outcome: null } attempt)
        {
            var outcome = await executions.CancelAsync(executionId, ct);
            if (outcome == CancelOutcome.ChangedMeanwhile)
                outcome = await executions.CancelAsync(executionId, ct);
            if (outcome is CancelOutcome.Stopping or CancelOutcome.Cancelled)
                cancelled = new CancelledExecution(executionId, attempt.Number, outcome == CancelOutcome.Stopping ? "stopping" : "cancelled");
        }
        var cancelledRuns = await runs.CancelActiveAsync(id, "cancelled with its card", ct);
        if (cancelled is null && cancelledRuns.Count == 0)
            return Problems.Conflict("Nothing to cancel", $"Card {id} is {card.Status} and runs nothing to cancel.",
                new Dictionary<string, object?> { ["current_status"] = card.Status });
        return TypedResults.Ok(new CancelCardResponse(id, card.Status, cancelled, cancelledRuns));
    }
}
