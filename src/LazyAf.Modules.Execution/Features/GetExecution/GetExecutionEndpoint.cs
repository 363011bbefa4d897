using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Execution.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Execution.Features.GetExecution;

internal static class GetExecutionEndpoint
{
    public static void MapGetExecution(this IEndpointRouteBuilder api) =>
        api.MapGet("/{id}", async Task<Results<Ok<ExecutionResponse>, NotFoundProblem>> (string id, ExecutionStore executions, AgentEventStore agentEvents, CancellationToken ct) =>
                Ids.IsValid(id) && await executions.FindAsync(id, ct) is { } execution
                    ? TypedResults.Ok(ExecutionResponse.From(execution) with { Usage = await agentEvents.UsageAsync(id, ct) })
                    : Problems.NotFound("execution", id))
            .WithName("GetExecution")
            .WithSummary("One step execution: state, exit code, error, tests, branch and commit");
}
