using LazyAf.Kernel.Http;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Repos.Data;
using LazyAf.Modules.Repos.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Repos.Features.DeleteBranch;

internal static class DeleteBranchEndpoint
{
    public static void MapDeleteBranch(this IEndpointRouteBuilder api) =>
        api.MapDelete("/{id}/branches/{**name}", HandleAsync)
            .WithName("DeleteBranch")
            .WithSummary("Delete a branch; the default branch is protected (409)");

    private static async Task<Results<NoContent, ValidationProblem, NotFoundProblem, ConflictProblem>> HandleAsync(
        string id, string name, RepoStore store, RepoHistory history, BranchRefs refs, CancellationToken ct)
    {
        if (await store.FindValidAsync(id, ct) is not { } repo)
            return Problems.NotFound("repo", id);
        if (RepoRules.CheckBranch(name) is { } invalid)
            return Problems.Invalid("name", invalid);
        if (name == repo.DefaultBranch)
            return Problems.Conflict("Default branch is protected", $"'{name}' is the default branch of {repo.Name}; change default_branch first.",
                new Dictionary<string, object?> { ["default_branch"] = repo.DefaultBranch });
        if (history.BranchTip(repo.Id, name) is not { } tip)
            return Problems.NotFound("branch", name);

        if (!await refs.MoveAsync(repo.Id, "refs/heads/" + name, tip, PushReceived.ZeroSha, "api", "delete branch", ct))
            return Problems.Conflict("Branch moved", $"'{name}' changed while it was being deleted; try again.");
        return TypedResults.NoContent();
    }
}
