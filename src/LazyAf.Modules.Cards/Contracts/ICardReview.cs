namespace LazyAf.Modules.Cards.Contracts;

/// <summary>
/// Review decisions other modules may take on a card (a pipeline's trigger actions): the same moves,
/// guards and merge as the board's approve and reject.
/// </summary>
public interface ICardReview
{
    /// <summary>
    /// Merges <paramref name="testedCommit"/>, what the caller's run tested on the card's branch (null: what the card's
    /// last attempt left), into <paramref name="targetBranch"/> (null: its base branch, else the repo's default) and
    /// moves the card to done. A branch that has moved past that commit is refused; on a conflict nothing changes and
    /// the result names the paths.
    /// </summary>
    Task<CardReviewResult> ApproveAsync(string cardId, string actor, string? targetBranch, string? testedCommit, CancellationToken ct);

    /// <summary>Moves a card in progress or in review to failed, with <paramref name="reason"/> in its history.</summary>
    Task<CardReviewResult> FailAsync(string cardId, string reason, string actor, CancellationToken ct);

    /// <summary>Sends a card in review back to todo, with <paramref name="reason"/> in its history.</summary>
    Task<CardReviewResult> RejectAsync(string cardId, string reason, string actor, CancellationToken ct);
}

/// <summary>How a review decision ended.</summary>
public enum CardReviewOutcome
{
    /// <summary>The card moved (and for an approval, its branch was merged).</summary>
    Moved,

    /// <summary>There is no such card (or its repo is gone).</summary>
    NotFound,

    /// <summary>The card's status (or a guard) does not allow the move; nothing changed.</summary>
    NotAllowed,

    /// <summary>The card changed meanwhile; nothing changed.</summary>
    Stale,

    /// <summary>The branch conflicts with the target; nothing changed. See <see cref="CardReviewResult.ConflictingPaths"/>.</summary>
    MergeConflict,

    /// <summary>The merge could not be made (a bad or missing target, the target moved); nothing changed.</summary>
    MergeRefused,
}

/// <summary>The result of a review decision.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Status">The card's status afterwards, when there is a card.</param>
/// <param name="Detail">What happened, in words (the merge, or why nothing did).</param>
public sealed record CardReviewResult(CardReviewOutcome Outcome, CardStatus? Status, string Detail)
{
    /// <summary>The paths both sides changed, on <see cref="CardReviewOutcome.MergeConflict"/>.</summary>
    public IReadOnlyList<string> ConflictingPaths { get; init; } = [];

    /// <summary>The branch an approval merged into (or tried to).</summary>
    public string? TargetBranch { get; init; }
}
