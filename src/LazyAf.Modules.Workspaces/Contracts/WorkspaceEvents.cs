using LazyAf.Kernel.Events;

namespace LazyAf.Modules.Workspaces.Contracts;

/// <summary>A workspace as events carry it.</summary>
/// <param name="Id">The workspace id (also its directory's name).</param>
/// <param name="Key">What it is for: <c>execution:{id}</c>, <c>run:{id}</c>, …</param>
/// <param name="RepoId">The repo it holds a checkout of.</param>
/// <param name="State">Where it is.</param>
/// <param name="UseCount">Shared leases held now.</param>
/// <param name="SizeBytes">Its size at the cleaner's last measurement.</param>
/// <param name="LastUsedAt">When a lease was last taken or given back.</param>
public sealed record WorkspaceSnapshot(string Id, string Key, string RepoId, WorkspaceState State, int UseCount, long SizeBytes, DateTimeOffset LastUsedAt);

/// <summary>A workspace was created, leased, released or removed.</summary>
/// <param name="Workspace">It, after the change.</param>
[IntegrationEvent("workspace.updated")]
public sealed record WorkspaceUpdated(WorkspaceSnapshot Workspace) : IIntegrationEvent
{
    /// <inheritdoc />
    public IReadOnlyList<string> Topics() => [$"repo:{Workspace.RepoId}", $"workspace:{Workspace.Id}"];
}
