using LazyAf.Modules.Workspaces.Contracts;
using LazyAf.Modules.Workspaces.Domain;

namespace LazyAf.Modules.Workspaces.Features;

/// <summary>A workspace as the API shows it.</summary>
internal sealed record WorkspaceResponse(
    string Id,
    string Key,
    string RepoId,
    string Path,
    WorkspaceState State,
    int UseCount,
    long SizeBytes,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUsedAt)
{
    public static WorkspaceResponse From(Workspace workspace)
    {
        var row = workspace.Row;
        return new(row.Id, row.Key, row.RepoId, row.Path, workspace.State, row.UseCount, row.SizeBytes, row.CreatedAt, row.LastUsedAt);
    }
}
