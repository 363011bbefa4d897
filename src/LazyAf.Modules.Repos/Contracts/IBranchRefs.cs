namespace LazyAf.Modules.Repos.Contracts;

/// <summary>
/// Creates, moves and deletes branches of LazyAF's repos for other modules. Every move is a compare-and-swap
/// (a concurrent push is never overwritten) and is recorded with its <see cref="PushReceived"/> (source <c>api</c>).
/// </summary>
public interface IBranchRefs
{
    /// <summary>
    /// Points <paramref name="branch"/> at <paramref name="sha"/>: creates it when it does not exist, moves it when
    /// its tip is an ancestor of <paramref name="sha"/> (a fast-forward), and leaves it alone otherwise
    /// (<see cref="BranchRefOutcome.Diverged"/>): work on the branch is never dropped.
    /// </summary>
    Task<BranchRefResult> FastForwardAsync(string repoId, string branch, string sha, CancellationToken ct);

    /// <summary>
    /// Deletes <paramref name="branch"/> if it still points at <paramref name="expectedSha"/>. The repo's default
    /// branch is refused (<see cref="BranchRefOutcome.Rejected"/>).
    /// </summary>
    Task<BranchRefResult> DeleteAsync(string repoId, string branch, string expectedSha, CancellationToken ct);
}

/// <summary>How a branch change ended.</summary>
public enum BranchRefOutcome
{
    /// <summary>The branch did not exist and now points at the sha.</summary>
    Created,

    /// <summary>The branch moved forward to the sha.</summary>
    FastForwarded,

    /// <summary>The branch already pointed at the sha; nothing changed.</summary>
    UpToDate,

    /// <summary>The branch holds commits the sha does not contain; nothing changed.</summary>
    Diverged,

    /// <summary>The branch was deleted.</summary>
    Deleted,

    /// <summary>The branch moved while it was being changed; nothing changed, and a retry may succeed.</summary>
    Moved,

    /// <summary>Nothing was attempted (unknown repo or sha, invalid name, the default branch); see <see cref="BranchRefResult.Reason"/>.</summary>
    Rejected,
}

/// <summary>The result of a branch change.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Sha">Where the branch points afterwards; null when it does not exist.</param>
/// <param name="Reason">Why nothing changed, in one sentence.</param>
public sealed record BranchRefResult(BranchRefOutcome Outcome, string? Sha, string? Reason = null)
{
    /// <summary>True when the branch is where it was asked to be (or gone, for a delete).</summary>
    public bool Succeeded => Outcome is BranchRefOutcome.Created or BranchRefOutcome.FastForwarded or BranchRefOutcome.UpToDate or BranchRefOutcome.Deleted;
}
