using LazyAf.Kernel.Http;
using LazyAf.Modules.Repos.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Repos.Features.ListPushes;

/// <summary>One ref a push, merge or deletion moved, as <c>GET /api/repos/{id}/pushes</c> lists it.</summary>
/// <param name="PushId">The push (or merge, or deletion) it was part of; one push can move many refs.</param>
/// <param name="Source">What moved it: <c>push</c>, <c>merge</c>, <c>api</c>, …</param>
/// <param name="ReceivedAt">When LazyAF recorded it.</param>
/// <param name="Ref">The full ref name, as <c>refs/heads/main</c>.</param>
/// <param name="OldSha">Where it pointed before (all zeros: it was created).</param>
/// <param name="NewSha">Where it points now (all zeros: it was deleted).</param>
internal sealed record PushResponse(string PushId, string Source, DateTimeOffset ReceivedAt, string Ref, string OldSha, string NewSha)
{
    public static PushResponse From(RefUpdateLog.RecordedRefUpdate update) =>
        new(update.PushId, update.Source, update.ReceivedAt, update.Ref, update.OldSha, update.NewSha);
}

internal static class ListPushesEndpoint
{
    public static void MapListPushes(this IEndpointRouteBuilder api) =>
        api.MapGet("/{id}/pushes", async Task<Results<Ok<IReadOnlyList<PushResponse>>, ValidationProblem, NotFoundProblem>> (
                string id, int? limit, RepoStore store, RefUpdateLog log, CancellationToken ct) =>
            {
                if (await store.FindValidAsync(id, ct) is null)
                    return Problems.NotFound("repo", id);
                if (limit is < 1 or > 1000)
                    return Problems.Invalid("limit", "limit must be between 1 and 1000.");
                return TypedResults.Ok<IReadOnlyList<PushResponse>>([.. (await log.RecentAsync(id, limit ?? 100, ct)).Select(PushResponse.From)]);
            })
            .WithName("ListPushes")
            .WithSummary("Recent ref updates (pushes, merges, API deletions), newest first");
}
