using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Contracts;
using LazyAf.Modules.Cards.Data;
using LazyAf.Modules.Cards.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Cards.Features.Dependencies;

/// <summary>"This card is blocked by those": blockers in the same repo, never in a cycle.</summary>
internal static class DependencyEndpoints
{
    public sealed record AddDependenciesRequest(IReadOnlyList<string>? BlockedBy);

    public static void MapDependencies(this IEndpointRouteBuilder api)
    {
        api.MapPost("/cards/{id}/dependencies", AddAsync)
            .WithName("AddDependencies")
            .WithSummary("Block a card by other cards of its repo (cycles are refused)");
        api.MapDelete("/cards/{id}/dependencies/{blockerId}", RemoveAsync)
            .WithName("RemoveDependency")
            .WithSummary("Unblock a card from one blocker");
    }

    private static async Task<Results<Ok<CardResponse>, ValidationProblem, NotFoundProblem, ConflictProblem>> AddAsync(
        string id, AddDependenciesRequest request, CardWorkflow workflow, IDatabase database, IEventOutbox outbox, CardView view, CancellationToken ct)
    {
        if (await workflow.LoadAsync(id, ct) is not { } card)
            return Problems.NotFound("card", id);
        if (request.BlockedBy is not { Count: > 0 } blockers)
            return Problems.Invalid("blocked_by", "blocked_by must list at least one card id.");
        foreach (var blockerId in blockers.Distinct())
        {
            if (blockerId == id)
                return Problems.Invalid("blocked_by", "A card cannot be blocked by itself.");
            if (await workflow.LoadAsync(blockerId, ct) is not { } blocker)
                return Problems.NotFound("card", blockerId);
            if (blocker.Row.RepoId != card.Row.RepoId)
                return Problems.Invalid("blocked_by", $"Card '{blockerId}' belongs to another repo.");
        }

        await using var tx = await database.BeginWriteAsync(ct);
        var edges = (await DependencyStore.RepoEdgesAsync(tx, card.Row.RepoId, ct)).ToList();
        edges.AddRange(blockers.Select(b => new DependencyStore.Edge(id, b)));
        if (CycleThrough(id, edges) is { } cycle)
            return Problems.Conflict("Dependency cycle", $"That would make a cycle: {string.Join(" → ", cycle)}.",
                new Dictionary<string, object?> { ["cycle"] = cycle });
        foreach (var blockerId in blockers.Distinct())
            await DependencyStore.AddAsync(tx, id, blockerId, ct);
        await outbox.EnqueueAsync(tx, new CardUpdated(CardSnapshots.Of(card.Row), null), ct);
        await tx.CommitAsync(ct);

        return TypedResults.Ok(await view.OfAsync((await workflow.LoadAsync(id, ct))!, ct));
    }

    private static async Task<Results<NoContent, NotFoundProblem>> RemoveAsync(
        string id, string blockerId, CardWorkflow workflow, DependencyStore dependencies, CancellationToken ct)
    {
        if (await workflow.LoadAsync(id, ct) is null)
            return Problems.NotFound("card", id);
        return await dependencies.RemoveAsync(id, blockerId, ct) ? TypedResults.NoContent() : Problems.NotFound("dependency", blockerId);
    }

    /// <summary>The path card → … → card if following "blocked by" from <paramref name="start"/> comes back to it.</summary>
    internal static IReadOnlyList<string>? CycleThrough(string start, IReadOnlyList<DependencyStore.Edge> edges)
    {
        var blockersOf = edges.ToLookup(e => e.CardId, e => e.BlockerId);
        var path = new List<string> { start };
        var visited = new HashSet<string>();
        return Walk(start);

        IReadOnlyList<string>? Walk(string card)
        {
            foreach (var blocker in blockersOf[card])
            {
                if (blocker == start)
                    return [.. path, start];
                if (!visited.Add(blocker))
                    continue;
                path.Add(blocker);
                if (Walk(blocker) is { } cycle)
                    return cycle;
                path.RemoveAt(path.Count - 1);
            }
            return null;
        }
    }
}
