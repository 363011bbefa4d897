using LazyAf.Kernel.Http;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Repos.Data;
using LazyAf.Modules.Repos.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Repos.Features.GetDiff;

internal static class GetDiffEndpoint
{
    public static void MapGetDiff(this IEndpointRouteBuilder api) =>
        api.MapGet("/{id}/diff", HandleAsync)
            .WithName("GetDiff")
            .WithSummary("What head changed since it branched from base (from the merge-base): files, line counts and unified patches");

    private static async Task<Results<Ok<RepoDiff>, ValidationProblem, NotFoundProblem>> HandleAsync(
        string id, string? @base, string? head, RepoStore store, RepoHistory history, CancellationToken ct)
    {
        if (await store.FindValidAsync(id, ct) is not { } repo)
            return Problems.NotFound("repo", id);
        @base ??= repo.DefaultBranch;
        var errors = new Dictionary<string, string[]>();
        if (RepoRules.CheckRevision(@base, "base") is { } badBase)
            errors["base"] = [badBase];
        if (RepoRules.CheckRevision(head, "head") is { } badHead)
            errors["head"] = [badHead];
        if (errors.Count > 0)
            return Problems.Invalid(errors);

        return history.Diff(repo.Id, @base, head!) is { } diff
            ? TypedResults.Ok(diff)
            : Problems.NotFound("revision", $"{@base}...{head}");
    }
}
