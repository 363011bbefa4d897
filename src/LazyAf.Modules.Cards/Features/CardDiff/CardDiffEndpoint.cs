using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Domain;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Cards.Features.CardDiff;

internal static class CardDiffEndpoint
{
    public static void MapCardDiff(this IEndpointRouteBuilder api) =>
        api.MapGet("/cards/{id}/diff", HandleAsync)
            .WithName("CardDiff")
            .WithSummary("What the card's branch changed since it left its base branch (from the merge-base)");

    private static async Task<Results<Ok<RepoDiff>, NotFoundProblem, ConflictProblem>> HandleAsync(string id, CardWorkflow workflow, IRepoCatalog repos, CancellationToken ct)
    {
        if (await workflow.LoadAsync(id, ct) is not { } card)
            return Problems.NotFound("card", id);
        if (card.Row.BranchName is not { } branch)
            return Problems.Conflict("No branch yet", "The card has no branch to diff; start it first.");
        if (await repos.FindAsync(card.Row.RepoId, ct) is not { } repo)
            return Problems.NotFound("repo", card.Row.RepoId);
        return await repos.DiffAsync(repo.Id, card.Row.BaseBranch ?? repo.DefaultBranch, branch, ct) is { } diff
            ? TypedResults.Ok(diff)
            : Problems.NotFound("branch", branch);
    }
}
