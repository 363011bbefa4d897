using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Execution.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Agents.Features.Playground;

/// <summary>
/// Cancels a run through its execution: the agent's process group gets SIGTERM and, after the kill grace
/// (2 s), SIGKILL; the run then reads <c>cancelled</c>. 202 while that happens, 200 when it had not started.
/// </summary>
internal static class CancelPlaygroundRunEndpoint
{
    public static void MapCancelPlaygroundRun(this IEndpointRouteBuilder api) =>
        api.MapPost("/playground/runs/{rid}/cancel", HandleAsync)
            .WithName("CancelPlaygroundRun")
            .WithSummary("Stop a playground run; the agent's process tree is killed");

    private static async Task<Results<Ok<PlaygroundRunResponse>, Accepted<PlaygroundRunResponse>, NotFoundProblem, ConflictProblem>> HandleAsync(
        string rid, PlaygroundRuns runs, IStepExecutions executions, CancellationToken ct)
    {
        if (!Ids.IsValid(rid) || await runs.FindAsync(rid, ct) is not { } state)
            return Problems.NotFound("playground run", rid);
        var outcome = await executions.CancelAsync(state.Run.ExecutionId, ct);
        var now = await runs.FindAsync(rid, ct) ?? state;
        return outcome switch
        {
            CancelOutcome.Stopping => TypedResults.Accepted($"/api/playground/runs/{rid}", PlaygroundRunResponse.From(now)),
            CancelOutcome.Cancelled => TypedResults.Ok(PlaygroundRunResponse.From(now)),
            CancelOutcome.AlreadyFinished => Problems.Conflict("Run finished", $"Playground run {rid} already ended {EnumText.Of(now.State)}.",
                new Dictionary<string, object?> { ["current_state"] = EnumText.Of(now.State) }),
            // Not created yet (its request still in the outbox) or moved on meanwhile: asking again settles it.
            _ => Problems.Conflict("Run changing", $"Playground run {rid} is changing state; try again."),
        };
    }
}
