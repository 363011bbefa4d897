using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Contracts;
using LazyAf.Modules.Cards.Data;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Cards.Features.ListCards;

internal static class ListCardsEndpoint
{
    public static void MapListCards(this IEndpointRouteBuilder api) =>
        api.MapGet("/repos/{repoId}/cards", HandleAsync)
            .WithName("ListCards")
            .WithSummary("A repo's cards by status and position, with their blockers and cost; ?status= narrows to one column");

    private static async Task<Results<Ok<List<CardSummary>>, ValidationProblem, NotFoundProblem>> HandleAsync(
        string repoId, string? status, IRepoCatalog repos, CardStore cards, DependencyStore dependencies, CardHistoryStore history, CancellationToken ct)
    {
        if (await repos.FindAsync(repoId, ct) is null)
            return Problems.NotFound("repo", repoId);
        if (status is not null && !EnumText.TryParse<CardStatus>(status, out _))
            return Problems.Invalid("status", "status must be one of todo, in_progress, in_review, done, failed.");
        var rows = await cards.ListAsync(repoId, status, ct);
        var blockers = await dependencies.RepoBlockersAsync(repoId, ct);
        var costs = await history.RepoCostsAsync(repoId, ct);
        return TypedResults.Ok(rows.Select(row => CardSummary.From(row, [.. blockers[row.Id]], costs.GetValueOrDefault(row.Id))).ToList());
    }
}
