using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Execution.Features.CancelExecution;

/// <summary>
/// Cancels an execution: one that has not started ends <c>cancelled</c> at once; a running one is
/// killed by its executor, which then records <c>cancelled</c> (202). A finished one is a 409.
/// </summary>
internal static class CancelExecutionEndpoint
{
    public static void MapCancelExecution(this IEndpointRouteBuilder api) =>
        api.MapPost("/{id}/cancel", HandleAsync)
            .WithName("CancelExecution")
            .WithSummary("Cancel an execution; its process tree or container is killed");

    private static async Task<Results<Ok<ExecutionResponse>, Accepted<ExecutionResponse>, NotFoundProblem, ConflictProblem>> HandleAsync(
        string id, ExecutionCancellation cancellation, CancellationToken ct)
    {
        var (outcome, execution) = Ids.IsValid(id) ? await cancellation.CancelAsync(id, ct) : (CancelOutcome.NotFound, null);
        return outcome switch
        {
            CancelOutcome.NotFound => Problems.NotFound("execution", id),
            CancelOutcome.AlreadyFinished => Problems.Conflict("Execution finished", $"Execution {id} already ended {EnumText.Of(execution!.State)}.",
                new Dictionary<string, object?> { ["current_state"] = EnumText.Of(execution.State) }),
            CancelOutcome.Stopping => TypedResults.Accepted($"/api/executions/{id}", ExecutionResponse.From(execution!)),
            CancelOutcome.Cancelled => TypedResults.Ok(ExecutionResponse.From(execution!)),
            _ => Problems.Conflict("Execution changed", $"Execution {id} changed meanwhile; try again."),
        };
    }
}
