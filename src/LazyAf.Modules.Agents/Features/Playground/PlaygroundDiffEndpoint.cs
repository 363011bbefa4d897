using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Agents.Features.Playground;

/// <summary>
/// What the run changed: from the base sha recorded at its start to the head it pushed. A run has a result once the
/// agent exited (also when it failed: its partial work is pushed); a cancelled or timed-out run pushes nothing.
/// </summary>
internal static class PlaygroundDiffEndpoint
{
    public static void MapPlaygroundDiff(this IEndpointRouteBuilder api) =>
        api.MapGet("/playground/runs/{rid}/diff", HandleAsync)
            .WithName("PlaygroundRunDiff")
            .WithSummary("What a playground run changed, from its base sha to its pushed work branch");

    private static async Task<Results<Ok<RepoDiff>, NotFoundProblem, ConflictProblem>> HandleAsync(string rid, PlaygroundRuns runs, IRepoCatalog repos, CancellationToken ct)
    {
        if (!Ids.IsValid(rid) || await runs.FindAsync(rid, ct) is not { } state)
            return Problems.NotFound("playground run", rid);
        if (state.ResultSha is not { } head)
            return Problems.Conflict("No result", $"Playground run {rid} has pushed nothing ({EnumText.Of(state.State)}); a diff exists once the agent has exited.",
                new Dictionary<string, object?> { ["current_state"] = EnumText.Of(state.State) });
        return await repos.DiffAsync(state.Run.RepoId, state.Run.BaseSha, head, ct) is { } diff
            ? TypedResults.Ok(diff)
            : Problems.NotFound("repo", state.Run.RepoId);
    }
}
