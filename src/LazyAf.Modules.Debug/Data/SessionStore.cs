using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Debug.Contracts;
using LazyAf.Modules.Debug.Domain;

namespace LazyAf.Modules.Debug.Data;

/// <summary>The <c>debug_sessions</c> table; every write publishes <see cref="DebugSessionUpdated"/> in its transaction.</summary>
internal sealed class SessionStore(IDatabase database, IEventOutbox outbox)
{
    private const string Columns = """
        id AS Id, run_id AS RunId, step_id AS StepId, after_failure AS AfterFailure, attempt AS Attempt, state AS State, created_at AS CreatedAt, expires_at AS ExpiresAt,
        ended_at AS EndedAt, end_reason AS EndReason, version AS Version
        """;

    private const string SelectOne = $"SELECT {Columns} FROM debug_sessions WHERE id = @Id";
    private const string SelectOfRun = $"SELECT {Columns} FROM debug_sessions WHERE run_id = @RunId ORDER BY created_at";
    private const string SelectOpen = $"SELECT {Columns} FROM debug_sessions WHERE state IN ('waiting', 'connected') ORDER BY created_at";

    // A pause delivered twice opens one session.
    private const string Insert = """
        INSERT INTO debug_sessions (id, run_id, step_id, after_failure, attempt, state, created_at, expires_at, version)
        VALUES (@Id, @RunId, @StepId, @AfterFailure, @Attempt, @State, @CreatedAt, @ExpiresAt, 1)
        ON CONFLICT (run_id, step_id, after_failure, attempt) DO NOTHING
        """;

    // Optimistic: the write lands only on the version that was read.
    private const string Update = """
        UPDATE debug_sessions SET state = @State, expires_at = @ExpiresAt, ended_at = @EndedAt, end_reason = @EndReason, version = @Version + 1
        WHERE id = @Id AND version = @Version
        """;

    public async Task<SessionRow?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition(SelectOne, new { Id = id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<SessionRow>> OfRunAsync(string runId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<SessionRow>(new CommandDefinition(SelectOfRun, new { RunId = runId }, cancellationToken: ct))).AsList();
    }

    public async Task<IReadOnlyList<SessionRow>> OpenAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<SessionRow>(new CommandDefinition(SelectOpen, cancellationToken: ct))).AsList();
    }

    /// <summary>Stores a new session; false when the run already has one for that pause.</summary>
    public async Task<bool> InsertAsync(DebugSession session, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        if (await tx.Connection.ExecuteAsync(new CommandDefinition(Insert, session.Row, tx.Transaction, cancellationToken: ct)) != 1)
            return false;
        await outbox.EnqueueAsync(tx, new DebugSessionUpdated(session.Snapshot()), ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Saves a change; false when someone else changed the session since it was read.</summary>
    public async Task<bool> TryUpdateAsync(DebugSession session, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        if (await tx.Connection.ExecuteAsync(new CommandDefinition(Update, session.Row, tx.Transaction, cancellationToken: ct)) != 1)
            return false;
        await outbox.EnqueueAsync(tx, new DebugSessionUpdated(session.Snapshot()), ct);
        await tx.CommitAsync(ct);
        return true;
    }
}
