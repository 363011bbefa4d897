using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Triggers.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Triggers.Features.Firings;

/// <summary>What triggers fired, the runs they started and what was done when those ended.</summary>
internal static class FiringEndpoints
{
    public const int MaxLimit = 1000;

    public static void MapFirings(this IEndpointRouteBuilder api)
    {
        api.MapGet("/repos/{id}/trigger-firings", ListAsync)
            .WithName("ListTriggerFirings")
            .WithSummary("A repo's accepted triggers, newest first (filter by kind or card_id); each with its run and completion action");
        api.MapGet("/trigger-firings/{id}", GetAsync)
            .WithName("GetTriggerFiring")
            .WithSummary("One accepted trigger, its run and completion action");
    }

    private static async Task<Results<Ok<IReadOnlyList<FiringResponse>>, ValidationProblem, NotFoundProblem>> ListAsync(
        string id, string? kind, [FromQuery(Name = "card_id")] string? cardId, int? limit, IRepoCatalog repos, FiringStore firings, CancellationToken ct)
    {
        if (!Ids.IsValid(id) || await repos.FindAsync(id, ct) is null)
            return Problems.NotFound("repo", id);
        if (limit is < 1 or > MaxLimit)
            return Problems.Invalid("limit", $"limit must be 1 to {MaxLimit}.");
        var list = await firings.ListAsync(id, kind, cardId, limit ?? 100, ct);
        return TypedResults.Ok<IReadOnlyList<FiringResponse>>([.. list.Select(f => FiringResponse.Of(f))]);
    }

    private static async Task<Results<Ok<FiringResponse>, NotFoundProblem>> GetAsync(string id, FiringStore firings, CancellationToken ct) =>
        Ids.IsValid(id) && await firings.FindAsync(id, ct) is { } firing ? TypedResults.Ok(FiringResponse.Of(firing)) : Problems.NotFound("trigger firing", id);
}
