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
    private const int DefaultLimit = 200;

    public static void MapListCards(this IEndpointRouteBuilder api) =>
        api.MapGet("/repos/{repoId}/cards", HandleAsync)
            .WithName("ListCards")
            .WithSummary("A repo's cards in the order they were added, with their blockers and cost, a page at a time " +
                         "(limit, default 200, at most 1000; the next page is in the Link header); ?status= narrows to one column");

    private static async Task<Results<Ok<List<CardSummary>>, ValidationProblem, NotFoundProblem>> HandleAsync(
        string repoId, string? status, string? cursor, string? limit, HttpResponse response,
        IRepoCatalog repos, CardStore cards, DependencyStore dependencies, CardHistoryStore history, CancellationToken ct)
    {
        if (status is not null && !EnumText.TryParse<CardStatus>(status, out _))
            return Problems.Invalid("status", "status must be one of todo, in_progress, in_review, done, failed.");
        if (!Paging.TryRead(cursor, limit, DefaultLimit, out var page, out var problem))
            return problem!;
        if (await repos.FindAsync(repoId, ct) is null)
            return Problems.NotFound("repo", repoId);
        var rows = Paging.Cut(await cards.ListPageAsync(repoId, status, page, ct), page, r => r.Seq, response);
        var ids = rows.Select(r => r.Id).ToList();
        var blockers = await dependencies.BlockersOfAsync(ids, ct);
        var costs = await history.CostsOfAsync(ids, ct);
        return TypedResults.Ok(rows.Select(r => CardSummary.From(r, [.. blockers[r.Id]], costs.GetValueOrDefault(r.Id))).ToList());
    }
}
