namespace LazyAf.Modules.Cards.Domain;

/// <summary>A card as a page of a list reads it (<c>cards_cards</c>, its rowid as <see cref="Seq"/>, the paging key).</summary>
internal sealed record CardListRow
{
    public long Seq { get; init; }
    public required string Id { get; init; }
    public required string RepoId { get; init; }
    public required string Title { get; init; }
    public required string Status { get; init; }
    public required string StepType { get; init; }
    public string? BranchName { get; init; }
    public int Position { get; init; }
    public string Requires { get; init; } = "[]";
    public bool AutoStart { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
