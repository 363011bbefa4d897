using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Execution.Domain;
using LazyAf.Modules.Execution.Running;
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

    private static async Task<Results<Ok<ExecutionResponse>, Accepted<ExecutionResponse>, ProblemHttpResult>> HandleAsync(
        string id, ExecutionStore executions, LocalExecutor local, TimeProvider clock, CancellationToken ct)
    {
        if (!Ids.IsValid(id) || await executions.FindAsync(id, ct) is not { } execution)
            return Problems.NotFound("execution", id);
        if (execution.IsFinished)
            return Problems.Conflict("Execution finished", $"Execution {id} already ended {EnumText.Of(execution.State)}.",
                new Dictionary<string, object?> { ["current_state"] = EnumText.Of(execution.State) });

        if (local.Cancel(id))
            return TypedResults.Accepted($"/api/executions/{id}", ExecutionResponse.From(execution));

        await execution.FireAsync(ExecutionTrigger.Cancel, row => row with { Error = "cancelled before it ran", FinishedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow() });
        return await executions.SaveAsync(execution, ct) is { } cancelled
            ? TypedResults.Ok(ExecutionResponse.From(cancelled))
            : Problems.Conflict("Execution changed", $"Execution {id} changed meanwhile; try again.");
    }
}
