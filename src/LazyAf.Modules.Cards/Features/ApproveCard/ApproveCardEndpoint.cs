using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Domain;
using LazyAf.Modules.Cards.Workflow;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Cards.Features.ApproveCard;

/// <summary>
/// Approving merges the card's branch (fast-forward, else a merge commit) and only then moves the
/// card to done. A conflict changes nothing: the card stays in review and every ref stays put.
/// </summary>
internal static class ApproveCardEndpoint
{
    public sealed record Request(string? TargetBranch);

    public static void MapApproveCard(this IEndpointRouteBuilder api) =>
        api.MapPost("/cards/{id}/approve", HandleAsync)
            .WithName("ApproveCard")
            .WithSummary("Merge the card's branch into its base (or target_branch) and mark it done; 409 with the paths on a conflict");

    private static async Task<Results<Ok<CardResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        string id, Request? request, CardWorkflow workflow, IRepoCatalog repos, IBranchMerger merger, CardView view, HttpContext http, CancellationToken ct)
    {
        using var _ = await CardWorkflow.LockAsync(id, ct);
        if (await workflow.LoadAsync(id, ct) is not { } card)
            return Problems.NotFound("card", id);
        if (!card.CanFire(CardTrigger.Approve, out var unmet))
            return CardProblems.NotAllowed(card, CardTrigger.Approve, unmet);
        if (await repos.FindAsync(card.Row.RepoId, ct) is not { } repo)
            return Problems.NotFound("repo", card.Row.RepoId);
        var target = request?.TargetBranch ?? card.Row.BaseBranch ?? repo.DefaultBranch;
        if (BranchNames.Check(target, "target_branch") is { } badTarget)
            return Problems.Invalid("target_branch", badTarget);

        var branch = card.Row.BranchName!;
        var merge = await merger.MergeAsync(new MergeRequest(repo.Id, branch, target, $"Merge {branch}: {card.Row.Title}"), ct);
        if (merge.Outcome == MergeOutcome.Conflict)
            return Problems.Conflict("Merge conflict", $"{branch} conflicts with {target} in {merge.ConflictingPaths.Count} file(s); nothing was changed.",
                new Dictionary<string, object?> { ["conflicting_paths"] = merge.ConflictingPaths, ["target_branch"] = target });
        if (!merge.Succeeded)
            return Problems.Conflict("Merge refused", merge.Reason ?? "The merge could not be made.");

        var moved = await workflow.MoveAsync(card, CardTrigger.Approve, Actor.Of(http), $"merged {branch} into {target} ({merge.Outcome}, {merge.TargetSha})", ct);
        if (moved.Outcome != CardWorkflow.Outcome.Moved)
            return CardProblems.Of(moved, CardTrigger.Approve);
        return TypedResults.Ok(await view.OfAsync(moved.Card, ct));
    }
}
