namespace LazyAf.Modules.Cards.Domain;

/// <summary>What can move a card.</summary>
internal enum CardTrigger
{
    Start,
    SubmitForReview,
    Fail,
    Approve,
    Reject,
    Retry,
    FollowUp,
}
