using LazyAf.Kernel;
using LazyAf.Modules.Cards.Contracts;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Triggers.Domain;

namespace LazyAf.Modules.Triggers.Features.RunActions;

/// <summary>
/// The actions themselves, through Cards (a card's run: approve = merge then done, fail, reject) and Repos
/// (any other run: merge its branch). Each returns what it did, for the firing's record. What is merged is the commit
/// the run ended with, so commits a fix step pushed during the run are part of it and later pushes are not.
/// </summary>
internal sealed class TriggerActions(ICardReview cards, IBranchMerger merger, IRepoCatalog repos)
{
    /// <summary>How a card's history names a trigger that moved it: <c>trigger:{firing id}</c>.</summary>
    public const string ActorPrefix = "trigger:";

    /// <summary>
    /// Applies <paramref name="action"/> for <paramref name="firing"/>; <paramref name="outcome"/> says how its run ended, in words,
    /// and <paramref name="tested"/> is the commit it ended with (what a merge merges; the built commit when unknown).
    /// </summary>
    public async Task<string> ApplyAsync(Firing firing, TriggerAction action, string outcome, string? tested, CancellationToken ct)
    {
        var actor = ActorPrefix + firing.Id;
        return (action.Verb, firing.CardId) switch
        {
            (TriggerAction.Nothing, _) => "nothing",
            (TriggerAction.Merge, { } cardId) => await ApproveCardAsync(cardId, action.Branch, tested, actor, ct),
            (TriggerAction.Merge, null) => await MergeBranchAsync(firing, action.Branch, tested, ct),
            (TriggerAction.Fail, { } cardId) => Described(await cards.FailAsync(cardId, $"pipeline {firing.Pipeline}: {outcome}", actor, ct), "card failed"),
            (TriggerAction.Reject, { } cardId) => Described(await cards.RejectAsync(cardId, $"pipeline {firing.Pipeline}: {outcome}", actor, ct), "card back to todo"),
            (TriggerAction.Fail or TriggerAction.Reject, null) => $"nothing: {action.Verb} applies to a card, and this run has none",
            _ => $"nothing: unknown action '{action.Verb}'",
        };
    }

    private async Task<string> ApproveCardAsync(string cardId, string? target, string? tested, string actor, CancellationToken ct)
    {
        var approval = await cards.ApproveAsync(cardId, actor, target, tested, ct);
        if (approval.Outcome is not (CardReviewOutcome.MergeConflict or CardReviewOutcome.MergeRefused))
            return Described(approval, "card done");
        // A person has to untangle it: the card says so, with the paths.
        var reason = approval.Outcome == CardReviewOutcome.MergeConflict
            ? $"merge into {approval.TargetBranch} conflicts in {string.Join(", ", approval.ConflictingPaths)}"
            : $"merge into {approval.TargetBranch} refused: {approval.Detail}";
        var failed = await cards.FailAsync(cardId, reason, actor, ct);
        return $"{reason}; {Described(failed, "card failed")}";
    }

    private async Task<string> MergeBranchAsync(Firing firing, string? target, string? tested, CancellationToken ct)
    {
        if (await repos.FindAsync(firing.RepoId, ct) is not { } repo)
            return "nothing: the repo is gone";
        var into = target ?? repo.DefaultBranch;
        // The tested commit, fixes included: the branch may have moved on to commits no run has passed.
        var source = tested ?? firing.CommitSha;
        // A run of the target itself has something to merge only when its steps committed (a fix).
        if (into == firing.Branch && source == firing.CommitSha)
            return $"nothing: the run built {into} itself and committed nothing";
        var merge = await merger.MergeAsync(new MergeRequest(repo.Id, source, into, $"Merge {firing.Branch}: pipeline {firing.Pipeline} passed"), ct);
        return merge.Outcome switch
        {
            MergeOutcome.Conflict => $"merge of {firing.Branch} into {into} conflicts in {string.Join(", ", merge.ConflictingPaths)}; nothing changed",
            MergeOutcome.Rejected => $"merge of {firing.Branch} into {into} refused: {merge.Reason}",
            _ => $"merged {firing.Branch} into {into} ({EnumText.Of(merge.Outcome)}, {merge.TargetSha})",
        };
    }

    private static string Described(CardReviewResult result, string moved) =>
        result.Outcome == CardReviewOutcome.Moved ? $"{moved}: {result.Detail}" : $"card unchanged ({EnumText.Of(result.Outcome)}): {result.Detail}";
}
