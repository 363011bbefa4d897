using LazyAf.Kernel;
using System.Text.Json;
using LazyAf.Modules.Cards.Contracts;
using LazyAf.Modules.Cards.Data;
using LazyAf.Modules.Cards.Domain;

namespace LazyAf.Modules.Cards.Features;

/// <summary>A move the card could make now, for clients that draw buttons.</summary>
internal sealed record AllowedMove(string Trigger, CardStatus To);

/// <summary>A card as <c>GET /api/cards/{id}</c> shows it: its fields, blockers, attempts and what it may do next.</summary>
internal sealed record CardResponse(
    string Id,
    string RepoId,
    string Title,
    string Description,
    CardStatus Status,
    string StepType,
    JsonElement StepConfig,
    string? BranchName,
    string? BaseBranch,
    int Position,
    IReadOnlyList<string> Requires,
    bool AutoStart,
    IReadOnlyList<DependencyStore.Blocker> BlockedBy,
    IReadOnlyList<CardHistoryStore.AttemptEntry> Attempts,
    double CostUsd,
    IReadOnlyList<AllowedMove> AllowedTransitions,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static CardResponse From(Card card, IReadOnlyList<DependencyStore.Blocker> blockers, IReadOnlyList<CardHistoryStore.AttemptEntry> attempts)
    {
        var row = card.Row;
        return new CardResponse(
            row.Id, row.RepoId, row.Title, row.Description, card.Status, row.StepType, JsonDocument.Parse(row.StepConfig).RootElement.Clone(),
            row.BranchName, row.BaseBranch, row.Position, Labels(row.Requires), row.AutoStart, blockers, attempts,
            attempts.Sum(a => a.CostUsd ?? 0),
            [.. card.AllowedMoves().Select(m => new AllowedMove(EnumText.Of(m.Trigger), m.To))],
            row.CreatedAt, row.UpdatedAt);
    }

    // Most cards require nothing: a list of them need not run the parser once per card for that.
    public static IReadOnlyList<string> Labels(string json) => json == "[]" ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];
}

/// <summary>A card in a list: the board's view, without history, with its blockers and what its attempts cost.</summary>
internal sealed record CardSummary(
    string Id,
    string RepoId,
    string Title,
    CardStatus Status,
    string StepType,
    string? BranchName,
    int Position,
    IReadOnlyList<string> Requires,
    bool AutoStart,
    IReadOnlyList<DependencyStore.Blocker> BlockedBy,
    double CostUsd,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static CardSummary From(CardListRow row, IReadOnlyList<DependencyStore.Blocker> blockers, double costUsd) => new(
        row.Id, row.RepoId, row.Title, EnumText.Parse<CardStatus>(row.Status), row.StepType, row.BranchName, row.Position,
        CardResponse.Labels(row.Requires), row.AutoStart, blockers, costUsd, row.CreatedAt, row.UpdatedAt);
}
