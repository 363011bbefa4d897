using LazyAf.Kernel.Http;
using LazyAf.Modules.Repos.Data;
using LazyAf.Modules.Repos.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Repos.Features.ListBranches;

internal static class ListBranchesEndpoint
{
    public static void MapListBranches(this IEndpointRouteBuilder api) =>
        api.MapGet("/{id}/branches", async Task<Results<Ok<IReadOnlyList<RepoHistory.BranchInfo>>, NotFoundProblem>> (
                string id, RepoStore store, RepoHistory history, CancellationToken ct) =>
                await store.FindValidAsync(id, ct) is { } repo
                    ? TypedResults.Ok(await history.BranchesAsync(repo.Id, repo.DefaultBranch, ct))
                    : Problems.NotFound("repo", id))
            .WithName("ListBranches")
            .WithSummary("Branches with their tip commit");
}
