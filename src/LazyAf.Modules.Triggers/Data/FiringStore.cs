using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Modules.Triggers.Domain;

namespace LazyAf.Modules.Triggers.Data;

/// <summary>The <c>triggers_firings</c> table.</summary>
internal sealed class FiringStore(IDatabase database)
{
    private const string Columns = """
        id AS Id, repo_id AS RepoId, pipeline AS Pipeline, kind AS Kind, branch AS Branch, commit_sha AS CommitSha,
        card_id AS CardId, params AS Params, on_pass AS OnPass, on_fail AS OnFail, dedup_key AS DedupKey, forced AS Forced,
        source AS Source, created_at AS CreatedAt, run_id AS RunId, started_at AS StartedAt, action AS Action, action_at AS ActionAt
        """;

    private const string Insert = """
        INSERT OR IGNORE INTO triggers_firings
            (id, repo_id, pipeline, kind, branch, commit_sha, card_id, params, on_pass, on_fail, dedup_key, forced, source, created_at)
        VALUES (@Id, @RepoId, @Pipeline, @Kind, @Branch, @CommitSha, @CardId, @Params, @OnPass, @OnFail, @DedupKey, @Forced, @Source, @CreatedAt)
        """;

    private const string SelectById = $"SELECT {Columns} FROM triggers_firings WHERE id = @Id";
    private const string SelectByDedupKey = $"SELECT {Columns} FROM triggers_firings WHERE dedup_key = @Key";
    private const string SelectByRun = $"SELECT {Columns} FROM triggers_firings WHERE run_id = @RunId";

    private const string SelectByRepo = $"""
        SELECT {Columns} FROM triggers_firings
        WHERE repo_id = @RepoId AND (@Kind IS NULL OR kind = @Kind) AND (@CardId IS NULL OR card_id = @CardId)
        ORDER BY created_at DESC, id DESC LIMIT @Limit
        """;

    private const string UpdateRun = "UPDATE triggers_firings SET run_id = @RunId, started_at = @At WHERE id = @Id AND run_id IS NULL";
    private const string UpdateAction = "UPDATE triggers_firings SET action = @Action, action_at = @At WHERE id = @Id AND action IS NULL";

    /// <summary>Records <paramref name="firing"/> in <paramref name="tx"/>; false when its dedup key is taken.</summary>
    public static async Task<bool> TryInsertAsync(WriteTransaction tx, Firing firing, CancellationToken ct) =>
        await tx.Connection.ExecuteAsync(new CommandDefinition(Insert, firing, tx.Transaction, cancellationToken: ct)) == 1;

    public async Task<Firing?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Firing>(new CommandDefinition(SelectById, new { Id = id }, cancellationToken: ct));
    }

    public static Task<Firing?> FindByDedupKeyAsync(WriteTransaction tx, string key, CancellationToken ct) =>
        tx.Connection.QuerySingleOrDefaultAsync<Firing>(new CommandDefinition(SelectByDedupKey, new { Key = key }, tx.Transaction, cancellationToken: ct));

    public async Task<Firing?> FindByRunAsync(string runId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QueryFirstOrDefaultAsync<Firing>(new CommandDefinition(SelectByRun, new { RunId = runId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<Firing>> ListAsync(string repoId, string? kind, string? cardId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var args = new { RepoId = repoId, Kind = kind, CardId = cardId, Limit = limit };
        return (await connection.QueryAsync<Firing>(new CommandDefinition(SelectByRepo, args, cancellationToken: ct))).AsList();
    }

    /// <summary>Notes the run the firing started; a second start of the same firing changes nothing.</summary>
    public async Task SetRunAsync(string id, string runId, DateTimeOffset at, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(UpdateRun, new { Id = id, RunId = runId, At = at }, cancellationToken: ct));
    }

    /// <summary>Notes what the completion action did; false when an action was already recorded.</summary>
    public async Task<bool> SetActionAsync(string id, string action, DateTimeOffset at, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(UpdateAction, new { Id = id, Action = action, At = at }, cancellationToken: ct)) == 1;
    }
}
