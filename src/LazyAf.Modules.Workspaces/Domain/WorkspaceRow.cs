namespace LazyAf.Modules.Workspaces.Domain;

/// <summary>A workspace as <c>workspaces_workspaces</c> holds it.</summary>
internal sealed record WorkspaceRow
{
    public required string Id { get; init; }
    public required string Key { get; init; }
    public required string RepoId { get; init; }
    public required string Path { get; init; }
    public required string State { get; init; }

    /// <summary>Shared leases held now.</summary>
    public int UseCount { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastUsedAt { get; init; }
    public long SizeBytes { get; init; }
    public long Version { get; init; }
}
