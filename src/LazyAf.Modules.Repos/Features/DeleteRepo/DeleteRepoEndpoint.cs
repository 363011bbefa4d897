using LazyAf.Kernel.Http;
using LazyAf.Modules.Repos.Data;
using LazyAf.Modules.Repos.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Repos.Features.DeleteRepo;

internal static class DeleteRepoEndpoint
{
    public static void MapDeleteRepo(this IEndpointRouteBuilder api) =>
        api.MapDelete("/{id}", async Task<Results<NoContent, NotFoundProblem>> (string id, RepoStore store, BareRepositories repos, CancellationToken ct) =>
            {
                if (await store.FindValidAsync(id, ct) is null || !await store.DeleteAsync(id, ct))
                    return Problems.NotFound("repo", id);
                repos.Delete(id);
                return TypedResults.NoContent();
            })
            .WithName("DeleteRepo")
            .WithSummary("Delete a repo with its git data and push log; every module then forgets it (its running steps are cancelled; its cards, pipelines, runs, executions and webhooks are deleted)");
}
