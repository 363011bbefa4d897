using LazyAf.Kernel.Events;

namespace LazyAf.Modules.Cards.Contracts;

/// <summary>A card as events carry it: enough for a board to redraw it.</summary>
/// <param name="Id">The card id.</param>
/// <param name="RepoId">The repo it belongs to.</param>
/// <param name="Title">Its title.</param>
/// <param name="Status">Where it is on the board.</param>
/// <param name="StepType"><c>agent</c>, <c>script</c> or <c>docker</c>.</param>
/// <param name="BranchName">The branch its work is on, once there is one.</param>
/// <param name="Position">Its order within its column.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record CardSnapshot(string Id, string RepoId, string Title, CardStatus Status, string StepType, string? BranchName, int Position, DateTimeOffset UpdatedAt);

/// <summary>A move of the card state machine.</summary>
/// <param name="From">The status before.</param>
/// <param name="To">The status after.</param>
/// <param name="Trigger">What moved it (<c>approve</c>, <c>reject</c>, …).</param>
/// <param name="Actor">Who or what caused it (a user, with the client as a label: <c>owner via cli</c>; an execution id; <c>trigger:{firing}</c>, …).</param>
/// <param name="Reason">Why, when one was given.</param>
public sealed record CardTransition(CardStatus From, CardStatus To, string Trigger, string Actor, string? Reason);

/// <summary>A card was created.</summary>
/// <param name="Card">The new card.</param>
[IntegrationEvent("card.created")]
public sealed record CardCreated(CardSnapshot Card) : IIntegrationEvent
{
    /// <inheritdoc />
    public IReadOnlyList<string> Topics() => [$"repo:{Card.RepoId}", $"card:{Card.Id}"];
}

/// <summary>A card changed: its fields, or its status through <see cref="Transition"/>.</summary>
/// <param name="Card">The card after the change.</param>
/// <param name="Transition">The state-machine move, when the status changed.</param>
[IntegrationEvent("card.updated")]
public sealed record CardUpdated(CardSnapshot Card, CardTransition? Transition) : IIntegrationEvent
{
    /// <inheritdoc />
    public IReadOnlyList<string> Topics() => [$"repo:{Card.RepoId}", $"card:{Card.Id}"];
}

/// <summary>A card was deleted.</summary>
/// <param name="CardId">The card that is gone.</param>
/// <param name="RepoId">The repo it belonged to.</param>
[IntegrationEvent("card.deleted")]
public sealed record CardDeleted(string CardId, string RepoId) : IIntegrationEvent
{
    /// <inheritdoc />
    public IReadOnlyList<string> Topics() => [$"repo:{RepoId}", $"card:{CardId}"];
}

/// <summary>
/// An <c>auto_start</c> card has no open blocker (it was made with none, or its last one is done), so it starts now.
/// Published once per card; the Cards module starts it.
/// </summary>
/// <param name="CardId">The card to start.</param>
/// <param name="RepoId">Its repo.</param>
/// <param name="UnblockedBy">The blocker whose completion released it; null for a card made with no blockers.</param>
[IntegrationEvent("card.ready")]
public sealed record CardReadyToStart(string CardId, string RepoId, string? UnblockedBy) : IIntegrationEvent
{
    /// <inheritdoc />
    public IReadOnlyList<string> Topics() => [$"repo:{RepoId}", $"card:{CardId}"];
}
