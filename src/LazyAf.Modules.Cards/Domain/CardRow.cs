namespace LazyAf.Modules.Cards.Domain;

/// <summary>
/// A card's persisted fields, as the <c>cards_cards</c> table holds them. <c>StepConfig</c> is a JSON
/// object validated for <c>StepType</c>; <c>Requires</c> a JSON array of runner labels; <c>ReadyAt</c>
/// when an <c>auto_start</c> card was released by its last blocker (so it is released once);
/// <c>Version</c> is bumped by every write, and a write over an older version is refused.
/// </summary>
internal sealed record CardRow
{
    public static readonly CardRow Blank = new() { Id = "", RepoId = "", Title = "", Status = "todo", StepType = "script" };

    public required string Id { get; init; }
    public required string RepoId { get; init; }
    public required string Title { get; init; }
    public string Description { get; init; } = "";
    public required string Status { get; init; }
    public required string StepType { get; init; }
    public string StepConfig { get; init; } = "{}";
    public string? BranchName { get; init; }
    public string? BaseBranch { get; init; }
    public int Position { get; init; }
    public string Requires { get; init; } = "[]";
    public bool AutoStart { get; init; }
    public DateTimeOffset? ReadyAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public long Version { get; init; }
}
