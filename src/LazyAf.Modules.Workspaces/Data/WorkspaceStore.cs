using LazyAf.Kernel;
using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Workspaces.Contracts;
using LazyAf.Modules.Workspaces.Domain;

namespace LazyAf.Modules.Workspaces.Data;

/// <summary>
/// The <c>workspaces_workspaces</c> table. Saves check the version that was read, so two writers never both win;
/// every state change is saved with its <c>workspace.updated</c> event.
/// </summary>
internal sealed class WorkspaceStore(IDatabase database, IEventOutbox outbox)
{
    private const string Columns = """
        id AS Id, key AS Key, repo_id AS RepoId, path AS Path, state AS State, use_count AS UseCount,
        created_at AS CreatedAt, last_used_at AS LastUsedAt, size_bytes AS SizeBytes, version AS Version
        """;

    private const string SelectById = $"SELECT {Columns} FROM workspaces_workspaces WHERE id = @Id";
    private const string SelectLiveByKey = $"SELECT {Columns} FROM workspaces_workspaces WHERE key = @Key AND state <> 'removed'";
    private const string SelectLive = $"SELECT {Columns} FROM workspaces_workspaces WHERE state <> 'removed' ORDER BY last_used_at DESC LIMIT @Limit";
    private const string SelectInState = $"SELECT {Columns} FROM workspaces_workspaces WHERE state = @State ORDER BY last_used_at";
    private const string SelectWarmOfRepo = $"SELECT {Columns} FROM workspaces_workspaces WHERE state = 'warm' AND repo_id = @RepoId ORDER BY last_used_at DESC";

    // The partial unique index on live keys makes a second creator insert nothing.
    private const string Insert = """
        INSERT INTO workspaces_workspaces (id, key, repo_id, path, state, use_count, created_at, last_used_at, size_bytes, version)
        VALUES (@Id, @Key, @RepoId, @Path, @State, @UseCount, @CreatedAt, @LastUsedAt, @SizeBytes, 1)
        ON CONFLICT DO NOTHING
        """;

    // A warm workspace re-keyed onto a key that went live meanwhile changes nothing, like a save over a stale version
    // (the unique index would refuse it), and its taker reads again.
    private const string Update = """
        UPDATE workspaces_workspaces
        SET key = @Key, state = @State, use_count = @UseCount, last_used_at = @LastUsedAt, size_bytes = @SizeBytes, version = @Version + 1
        WHERE id = @Id AND version = @Version
          AND NOT EXISTS (SELECT 1 FROM workspaces_workspaces other WHERE other.key = @Key AND other.state <> 'removed' AND other.id <> @Id)
        """;

    // A measurement, not a state change: it moves no version, so it never makes a lease's save fail.
    private const string UpdateSize = "UPDATE workspaces_workspaces SET size_bytes = @SizeBytes WHERE id = @Id AND state IN ('ready', 'warm')";

    public async Task<Workspace?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<WorkspaceRow>(new CommandDefinition(SelectById, new { Id = id }, cancellationToken: ct));
        return row is null ? null : new Workspace(row);
    }

    public async Task<Workspace?> FindLiveByKeyAsync(string key, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<WorkspaceRow>(new CommandDefinition(SelectLiveByKey, new { Key = key }, cancellationToken: ct));
        return row is null ? null : new Workspace(row);
    }

    /// <summary>Workspaces not yet removed, most recently used first.</summary>
    public async Task<IReadOnlyList<Workspace>> LiveAsync(int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<WorkspaceRow>(new CommandDefinition(SelectLive, new { Limit = limit }, cancellationToken: ct));
        return rows.Select(r => new Workspace(r)).ToList();
    }

    /// <summary>Workspaces in <paramref name="state"/>, least recently used first.</summary>
    public async Task<IReadOnlyList<Workspace>> InStateAsync(WorkspaceState state, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<WorkspaceRow>(new CommandDefinition(SelectInState, new { State = EnumText.Of(state) }, cancellationToken: ct));
        return rows.Select(r => new Workspace(r)).ToList();
    }

    /// <summary>The warm workspaces of <paramref name="repoId"/>, most recently used first.</summary>
    public async Task<IReadOnlyList<Workspace>> WarmOfRepoAsync(string repoId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<WorkspaceRow>(new CommandDefinition(SelectWarmOfRepo, new { RepoId = repoId }, cancellationToken: ct));
        return rows.Select(r => new Workspace(r)).ToList();
    }

    /// <summary>False when a live workspace already has the key.</summary>
    public async Task<bool> InsertAsync(WorkspaceRow row, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        var inserted = await tx.Connection.ExecuteAsync(new CommandDefinition(Insert, row, tx.Transaction, cancellationToken: ct)) == 1;
        if (inserted)
            await outbox.EnqueueAsync(tx, new WorkspaceUpdated(new Workspace(row).Snapshot()), ct);
        await tx.CommitAsync(ct);
        return inserted;
    }

    /// <summary>Saves a state change over the version that was read; null when someone else changed it first, else the saved workspace.</summary>
    public async Task<Workspace?> SaveAsync(Workspace workspace, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        if (await tx.Connection.ExecuteAsync(new CommandDefinition(Update, workspace.Row, tx.Transaction, cancellationToken: ct)) != 1)
            return null;
        await outbox.EnqueueAsync(tx, new WorkspaceUpdated(workspace.Snapshot()), ct);
        await tx.CommitAsync(ct);
        return new Workspace(workspace.Row with { Version = workspace.Row.Version + 1 });
    }

    public async Task UpdateSizeAsync(string id, long sizeBytes, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(UpdateSize, new { Id = id, SizeBytes = sizeBytes }, cancellationToken: ct));
    }
}
