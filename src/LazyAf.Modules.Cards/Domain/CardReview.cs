using LazyAf.Modules.Cards.Contracts;
using Kind = LazyAf.Modules.Cards.Domain.CardDecisions.Kind;

namespace LazyAf.Modules.Cards.Domain;

/// <summary>The review decisions of <see cref="CardDecisions"/>, as other modules see them.</summary>
internal sealed class CardReview(CardDecisions decisions) : ICardReview
{
    public async Task<CardReviewResult> ApproveAsync(string cardId, string actor, string? targetBranch, string? testedCommit, CancellationToken ct) =>
        Result(await decisions.ApproveAsync(cardId, targetBranch, testedCommit, actor, ct));

    public async Task<CardReviewResult> FailAsync(string cardId, string reason, string actor, CancellationToken ct) =>
        Result(await decisions.MoveAsync(cardId, CardTrigger.Fail, actor, reason, ct));

    public async Task<CardReviewResult> RejectAsync(string cardId, string reason, string actor, CancellationToken ct) =>
        Result(await decisions.MoveAsync(cardId, CardTrigger.Reject, actor, reason, ct));

    private static CardReviewResult Result(CardDecisions.Decision decision)
    {
        var outcome = decision.Kind switch
        {
            Kind.Moved => CardReviewOutcome.Moved,
            Kind.CardNotFound or Kind.RepoNotFound => CardReviewOutcome.NotFound,
            Kind.NotAllowed => CardReviewOutcome.NotAllowed,
            Kind.Stale => CardReviewOutcome.Stale,
            Kind.Conflict => CardReviewOutcome.MergeConflict,
            _ => CardReviewOutcome.MergeRefused,
        };
        return new CardReviewResult(outcome, decision.Move?.Card.Status, decision.Detail)
        {
            ConflictingPaths = decision.ConflictingPaths,
            TargetBranch = decision.Target,
        };
    }
}
