using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Execution.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Execution.Features.Runners;

/// <summary><c>/api/runners</c>: the remote runners, their revocation and drain.</summary>
internal static class RunnerEndpoints
{
    public static RouteGroupBuilder MapRunners(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/runners").WithTags("Runners");
        api.MapCreateRunnerToken();
        api.MapGet("", ListAsync).WithName("ListRunners").WithSummary("Every registered runner: labels, state, last heartbeat, executions");
        api.MapGet("/{id}", GetAsync).WithName("GetRunner").WithSummary("One runner");
        api.MapDelete("/{id}", RevokeAsync).WithName("RevokeRunner")
            .WithSummary("Revoke a runner: its credential stops working, its stream is closed, the steps it ran fail");
        api.MapPost("/{id}/drain", DrainAsync).WithName("DrainRunner")
            .WithSummary("Drain a runner: it takes no new work, finishes what it runs, and disconnects");
        return api;
    }

    private static async Task<Ok<RunnerResponse[]>> ListAsync(RunnerStore runners, RunnerHub hub, CancellationToken ct)
    {
        var all = new List<RunnerResponse>();
        foreach (var row in await runners.AllAsync(ct))
            all.Add(await RunnerResponse.OfAsync(row, hub, runners, ct));
        return TypedResults.Ok(all.ToArray());
    }

    private static async Task<Results<Ok<RunnerResponse>, NotFoundProblem>> GetAsync(string id, RunnerStore runners, RunnerHub hub, CancellationToken ct) =>
        Ids.IsValid(id) && await runners.FindAsync(id, ct) is { } row
            ? TypedResults.Ok(await RunnerResponse.OfAsync(row, hub, runners, ct))
            : Problems.NotFound("runner", id);

    private static async Task<Results<NoContent, NotFoundProblem>> RevokeAsync(string id, RunnerStore runners, RunnerHub hub, CancellationToken ct)
    {
        if (!Ids.IsValid(id) || !await runners.DeleteAsync(id, ct))
            return Problems.NotFound("runner", id);
        await hub.RevokeAsync(id);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Accepted<RunnerResponse>, NotFoundProblem, ConflictProblem>> DrainAsync(string id, RunnerStore runners, RunnerHub hub, CancellationToken ct)
    {
        if (!Ids.IsValid(id) || await runners.FindAsync(id, ct) is not { } row)
            return Problems.NotFound("runner", id);
        if (hub.Find(id) is not { Connected: true } session)
            return Problems.Conflict("Runner not connected", $"Runner {id} is {row.State}; only a connected runner can be drained.",
                new Dictionary<string, object?> { ["current_state"] = row.State });
        await session.DrainAsync();
        return TypedResults.Accepted($"/api/runners/{id}", await RunnerResponse.OfAsync(row, hub, runners, ct));
    }
}
