using LazyAf.Kernel.Http;
using LazyAf.Modules.Repos.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Repos.Features.ListPushes;

internal static class ListPushesEndpoint
{
    public static void MapListPushes(this IEndpointRouteBuilder api) =>
        api.MapGet("/{id}/pushes", async Task<Results<Ok<IReadOnlyList<RefUpdateLog.RecordedRefUpdate>>, ValidationProblem, NotFoundProblem>> (
                string id, int? limit, RepoStore store, RefUpdateLog log, CancellationToken ct) =>
            {
                if (await store.FindValidAsync(id, ct) is null)
                    return Problems.NotFound("repo", id);
                if (limit is < 1 or > 1000)
                    return Problems.Invalid("limit", "limit must be between 1 and 1000.");
                return TypedResults.Ok(await log.RecentAsync(id, limit ?? 100, ct));
            })
            .WithName("ListPushes")
            .WithSummary("Recent ref updates (pushes, merges, API deletions), newest first");
}
