using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Kind = LazyAf.Modules.Cards.Domain.CardDecisions.Kind;

namespace LazyAf.Modules.Cards.Features.ApproveCard;

/// <summary>
/// Approving merges the card's branch (fast-forward, else a merge commit) and only then moves the
/// card to done. A conflict changes nothing: the card stays in review and every ref stays put.
/// </summary>
internal static class ApproveCardEndpoint
{
    public sealed record ApproveCardRequest(string? TargetBranch = null);

    public static void MapApproveCard(this IEndpointRouteBuilder api) =>
        api.MapPost("/cards/{id}/approve", HandleAsync)
            .WithName("ApproveCard")
            .WithSummary("Merge the card's branch into its base (or target_branch) and mark it done; 409 with the paths on a conflict");

    private static async Task<Results<Ok<CardResponse>, ValidationProblem, NotFoundProblem, ConflictProblem>> HandleAsync(
        string id, ApproveCardRequest? request, CardDecisions decisions, CardView view, HttpContext http, CancellationToken ct)
    {
        var decision = await decisions.ApproveAsync(id, request?.TargetBranch, null, Actor.Of(http), ct);
        return decision.Kind switch
        {
            Kind.Moved => TypedResults.Ok(await view.OfAsync(decision.Move!.Card, ct)),
            Kind.CardNotFound => Problems.NotFound("card", id),
            Kind.RepoNotFound => Problems.NotFound("repo", decision.RepoId!),
            Kind.InvalidTarget => Problems.Invalid("target_branch", decision.Detail),
            Kind.Conflict => Problems.Conflict("Merge conflict", decision.Detail,
                new Dictionary<string, object?> { ["conflicting_paths"] = decision.ConflictingPaths, ["target_branch"] = decision.Target }),
            Kind.Refused => Problems.Conflict("Merge refused", decision.Detail),
            _ => CardProblems.Of(decision.Move!, CardTrigger.Approve),
        };
    }
}
