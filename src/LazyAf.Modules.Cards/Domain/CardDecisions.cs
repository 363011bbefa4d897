using LazyAf.Modules.Cards.Data;
using LazyAf.Modules.Repos.Contracts;

namespace LazyAf.Modules.Cards.Domain;

/// <summary>
/// Approve (merge, then done), reject and fail, for the board's endpoints and for other modules through
/// <see cref="Contracts.ICardReview"/> alike, so both follow the same rules.
/// </summary>
internal sealed class CardDecisions(CardWorkflow workflow, IRepoCatalog repos, IBranchMerger merger, CardHistoryStore history)
{
    public enum Kind { Moved, CardNotFound, RepoNotFound, NotAllowed, Stale, InvalidTarget, Conflict, Refused }

    /// <summary>What happened; <see cref="Move"/> is set once the state machine was asked.</summary>
    public sealed record Decision(Kind Kind, string Detail)
    {
        public CardWorkflow.MoveResult? Move { get; init; }
        public string? RepoId { get; init; }
        public string? Target { get; init; }
        public IReadOnlyList<string> ConflictingPaths { get; init; } = [];
    }

    /// <summary>
    /// Merges what was tested (<paramref name="testedCommit"/>, a pipeline run's; else what the card's last attempt left; fast-forward, else a merge commit) and only then moves the card to
    /// done. A branch that moved since (a push after the green run) is refused, untested work is never merged; a
    /// conflict changes nothing: the card stays in review and every ref stays put.
    /// </summary>
    public async Task<Decision> ApproveAsync(string id, string? targetBranch, string? testedCommit, string actor, CancellationToken ct)
    {
        using var _ = await CardWorkflow.LockAsync(id, ct);
        if (await workflow.LoadAsync(id, ct) is not { } card)
            return new Decision(Kind.CardNotFound, $"There is no card '{id}'.");
        if (!card.CanFire(CardTrigger.Approve, out var unmet))
            return NotMoved(new CardWorkflow.MoveResult(CardWorkflow.Outcome.NotAllowed, card, unmet));
        if (await repos.FindAsync(card.Row.RepoId, ct) is not { } repo)
            return new Decision(Kind.RepoNotFound, $"There is no repo '{card.Row.RepoId}'.") { RepoId = card.Row.RepoId };
        var target = targetBranch ?? card.Row.BaseBranch ?? repo.DefaultBranch;
        if (BranchNames.Check(target, "target_branch") is { } badTarget)
            return new Decision(Kind.InvalidTarget, badTarget) { Target = target };

        var branch = card.Row.BranchName!;
        var tested = testedCommit ?? await history.TestedCommitAsync(id, ct);
        if (tested is not null && await repos.BranchTipAsync(repo.Id, branch, ct) is { } tip && tip != tested)
            return new Decision(Kind.Refused,
                $"{branch} moved since it was tested: it is at {tip[..7]}, the tested commit is {tested[..7]}; retry the card to test what is there now.") { Target = target };
        // The tested commit itself, so a push racing this approval is not merged with it.
        var merge = await merger.MergeAsync(new MergeRequest(repo.Id, tested ?? branch, target, $"Merge {branch}: {card.Row.Title}"), ct);
        if (merge.Outcome == MergeOutcome.Conflict)
            return new Decision(Kind.Conflict, $"{branch} conflicts with {target} in {merge.ConflictingPaths.Count} file(s): {string.Join(", ", merge.ConflictingPaths)}; nothing was changed.")
            {
                Target = target,
                ConflictingPaths = merge.ConflictingPaths,
            };
        if (!merge.Succeeded)
            return new Decision(Kind.Refused, merge.Reason ?? "The merge could not be made.") { Target = target };

        var detail = $"merged {branch} into {target} ({merge.Outcome}, {merge.TargetSha})";
        var moved = await workflow.MoveAsync(card, CardTrigger.Approve, actor, detail, ct);
        return moved.Outcome == CardWorkflow.Outcome.Moved
            ? new Decision(Kind.Moved, detail) { Move = moved, Target = target }
            : NotMoved(moved) with { Target = target };
    }

    /// <summary>Fires a move that needs no merge (reject, fail) under the card's lock.</summary>
    public async Task<Decision> MoveAsync(string id, CardTrigger trigger, string actor, string? reason, CancellationToken ct)
    {
        using var _ = await CardWorkflow.LockAsync(id, ct);
        if (await workflow.LoadAsync(id, ct) is not { } card)
            return new Decision(Kind.CardNotFound, $"There is no card '{id}'.");
        var moved = await workflow.MoveAsync(card, trigger, actor, reason, ct);
        return moved.Outcome == CardWorkflow.Outcome.Moved ? new Decision(Kind.Moved, reason ?? "") { Move = moved } : NotMoved(moved);
    }

    private static Decision NotMoved(CardWorkflow.MoveResult move) =>
        move.Outcome == CardWorkflow.Outcome.Stale
            ? new Decision(Kind.Stale, $"Card '{move.Card.Row.Id}' was changed by someone else meanwhile.") { Move = move }
            : new Decision(Kind.NotAllowed, $"A card that is {Kernel.EnumText.Of(move.Card.Status)} cannot do that ({string.Join(", ", move.UnmetGuards)}).") { Move = move };
}
