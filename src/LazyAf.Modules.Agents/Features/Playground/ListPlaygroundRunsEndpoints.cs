using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Agents.Features.Playground;

/// <summary>A repo's playground runs, and one run, each with its execution's state, result and cost.</summary>
internal static class ListPlaygroundRunsEndpoints
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 500;

    public static void MapListPlaygroundRuns(this IEndpointRouteBuilder api)
    {
        api.MapGet("/repos/{id}/playground/runs", async Task<Results<Ok<IReadOnlyList<PlaygroundRunResponse>>, ValidationProblem, NotFoundProblem>> (
                string id, int? limit, IRepoCatalog repos, PlaygroundRuns runs, CancellationToken ct) =>
            {
                if (await repos.FindAsync(id, ct) is null)
                    return Problems.NotFound("repo", id);
                if (limit is < 1 or > MaxLimit)
                    return Problems.Invalid("limit", $"limit must be between 1 and {MaxLimit}.");
                var found = await runs.ListAsync(id, limit ?? DefaultLimit, ct);
                return TypedResults.Ok<IReadOnlyList<PlaygroundRunResponse>>([.. found.Select(PlaygroundRunResponse.From)]);
            })
            .WithName("ListPlaygroundRuns")
            .WithSummary("A repo's playground runs, newest first, with state, result sha and cost");

        api.MapGet("/playground/runs/{rid}", async Task<Results<Ok<PlaygroundRunResponse>, NotFoundProblem>> (string rid, PlaygroundRuns runs, CancellationToken ct) =>
                Ids.IsValid(rid) && await runs.FindAsync(rid, ct) is { } run
                    ? TypedResults.Ok(PlaygroundRunResponse.From(run))
                    : Problems.NotFound("playground run", rid))
            .WithName("GetPlaygroundRun")
            .WithSummary("One playground run: its execution's state, usage and cost, and the result sha");
    }
}
