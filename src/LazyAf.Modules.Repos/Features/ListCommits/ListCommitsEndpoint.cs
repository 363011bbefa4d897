using LazyAf.Kernel.Http;
using LazyAf.Modules.Repos.Data;
using LazyAf.Modules.Repos.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Repos.Features.ListCommits;

internal static class ListCommitsEndpoint
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;

    public static void MapListCommits(this IEndpointRouteBuilder api) =>
        api.MapGet("/{id}/commits", HandleAsync)
            .WithName("ListCommits")
            .WithSummary("Commits reachable from a branch (default: the default branch), newest first");

    private static async Task<Results<Ok<IReadOnlyList<RepoHistory.CommitInfo>>, ValidationProblem, NotFoundProblem>> HandleAsync(
        string id, string? branch, int? limit, RepoStore store, RepoHistory history, CancellationToken ct)
    {
        if (await store.FindValidAsync(id, ct) is not { } repo)
            return Problems.NotFound("repo", id);
        if (limit is < 1 or > MaxLimit)
            return Problems.Invalid("limit", $"limit must be between 1 and {MaxLimit}.");
        branch ??= repo.DefaultBranch;
        if (RepoRules.CheckBranch(branch) is { } invalid)
            return Problems.Invalid("branch", invalid);

        if (history.Commits(repo.Id, branch, limit ?? DefaultLimit) is { } commits)
            return TypedResults.Ok(commits);
        // An empty repo's default branch is unborn: no commits yet rather than "no such branch".
        return branch == repo.DefaultBranch ? TypedResults.Ok<IReadOnlyList<RepoHistory.CommitInfo>>([]) : Problems.NotFound("branch", branch);
    }
}
