using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Pipelines.Data;
using LazyAf.Modules.Pipelines.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Pipelines.Features.Runs;

/// <summary>
/// <c>POST /api/pipeline-runs/{id}/cancel</c>: the run is <c>cancelled</c> at once and its running steps are cancelled
/// through Execution (their attempts then show <c>cancelled</c>); steps that had not started are skipped.
/// </summary>
internal static class CancelRunEndpoint
{
    public static void MapCancelRun(this IEndpointRouteBuilder api) =>
        api.MapPost("/pipeline-runs/{id}/cancel", HandleAsync)
            .WithName("CancelPipelineRun")
            .WithSummary("Cancel a run and its running steps; 409 when it has already ended");

    private static async Task<Results<Ok<RunResponse>, NotFoundProblem, ConflictProblem>> HandleAsync(
        string id, RunStore runs, RunEngine engine, IStepExecutions executions, TimeProvider clock, CancellationToken ct)
    {
        if (!Ids.IsValid(id))
            return Problems.NotFound("pipeline run", id);
        IReadOnlyList<StepRow> rows;
        using (await RunLocks.LockAsync(id, ct))
        {
            if (await runs.FindAsync(id, ct) is not { } row)
                return Problems.NotFound("pipeline run", id);
            var run = new PipelineRun(row);
            if (!run.CanFire(RunTrigger.Cancel))
                return Problems.Conflict("Run ended", $"Pipeline run {id} already ended {EnumText.Of(run.State)}.",
                    new Dictionary<string, object?> { ["current_state"] = EnumText.Of(run.State) });
            rows = await runs.StepsAsync(id, ct);
            await run.FireAsync(RunTrigger.Cancel, r => r with { Error = "cancelled on request", FinishedAt = clock.GetUtcNow() });
            if (!await engine.SaveAsync(new RunChange(run, rows), ct))
                return Problems.Conflict("Run changed", $"Pipeline run {id} changed meanwhile; try again.");
        }
        foreach (var active in rows.Where(r => r.IsActive))
            await executions.CancelAsync(active.ExecutionId, ct);
        return TypedResults.Ok(RunResponse.From(new PipelineRun((await runs.FindAsync(id, ct))!), await runs.StepsAsync(id, ct)));
    }
}
