using LazyAf.Kernel.Http;
using LazyAf.Modules.Repos.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Repos.Features.GetRepo;

internal static class GetRepoEndpoint
{
    public static void MapGetRepo(this IEndpointRouteBuilder api) =>
        api.MapGet("/{id}", async Task<Results<Ok<RepoResponse>, NotFoundProblem>> (string id, RepoStore store, HttpRequest http, CancellationToken ct) =>
                await store.FindValidAsync(id, ct) is { } repo
                    ? TypedResults.Ok(RepoResponse.From(repo, http))
                    : Problems.NotFound("repo", id))
            .WithName("GetRepo")
            .WithSummary("One repo");
}
