namespace LazyAf.Modules.Cards.Contracts;

/// <summary>Where a card is on the board; the card state machine moves it.</summary>
public enum CardStatus
{
    /// <summary>Not started.</summary>
    Todo,

    /// <summary>A step execution is working on it.</summary>
    InProgress,

    /// <summary>Its branch waits for a person (or a pipeline) to approve or reject it.</summary>
    InReview,

    /// <summary>Approved and merged. Final.</summary>
    Done,

    /// <summary>Its last attempt failed; it can be retried.</summary>
    Failed,
}
