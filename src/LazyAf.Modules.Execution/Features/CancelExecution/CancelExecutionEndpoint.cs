using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Execution.Running;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Outcome = LazyAf.Modules.Execution.Running.ExecutionCancellation.Outcome;

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
        var (outcome, execution) = Ids.IsValid(id) ? await cancellation.CancelAsync(id, ct) : (Outcome.NotFound, null);
        return outcome switch
        {
            Outcome.NotFound => Problems.NotFound("execution", id),
            Outcome.AlreadyFinished => Problems.Conflict("Execution finished", $"Execution {id} already ended {EnumText.Of(execution!.State)}.",
                new Dictionary<string, object?> { ["current_state"] = EnumText.Of(execution.State) }),
            Outcome.Killing => TypedResults.Accepted($"/api/executions/{id}", ExecutionResponse.From(execution!)),
            Outcome.Cancelled => TypedResults.Ok(ExecutionResponse.From(execution!)),
            _ => Problems.Conflict("Execution changed", $"Execution {id} changed meanwhile; try again."),
        };
    }
}
