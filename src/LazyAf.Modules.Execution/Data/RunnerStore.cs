using System.Text.Json;
using Dapper;
using LazyAf.Kernel;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Domain;

namespace LazyAf.Modules.Execution.Data;

/// <summary>
/// The <c>execution_runners</c> and <c>execution_runner_tokens</c> tables. A runner's changes are saved with their
/// <c>runner.updated</c> event (heartbeats, which change only when it was last seen, without one).
/// </summary>
internal sealed class RunnerStore(IDatabase database, IEventOutbox outbox, TimeProvider clock)
{
    private const string Columns = """
        id AS Id, name AS Name, labels AS Labels, step_kinds AS StepKinds, capacity AS Capacity, version AS Version, state AS State,
        draining AS Draining, credential_hash AS CredentialHash, created_at AS CreatedAt, connected_at AS ConnectedAt, last_seen_at AS LastSeenAt
        """;

    private const string SelectAll = $"SELECT {Columns} FROM execution_runners ORDER BY created_at";
    private const string SelectById = $"SELECT {Columns} FROM execution_runners WHERE id = @Id";

    private const string Insert = """
        INSERT INTO execution_runners (id, name, labels, step_kinds, capacity, version, state, draining, credential_hash, created_at, connected_at, last_seen_at)
        VALUES (@Id, @Name, @Labels, @StepKinds, @Capacity, @Version, @State, @Draining, @CredentialHash, @CreatedAt, @ConnectedAt, @LastSeenAt)
        """;

    private const string Update = """
        UPDATE execution_runners
        SET name = @Name, labels = @Labels, step_kinds = @StepKinds, capacity = @Capacity, version = @Version, state = @State,
            draining = @Draining, connected_at = @ConnectedAt, last_seen_at = @LastSeenAt
        WHERE id = @Id
        """;

    private const string Touch = "UPDATE execution_runners SET last_seen_at = @LastSeenAt WHERE id = @Id";

    private const string Delete = "DELETE FROM execution_runners WHERE id = @Id";

    // At start-up no runner has a stream to this host yet.
    private const string DisconnectAll = "UPDATE execution_runners SET state = 'disconnected' WHERE state IN ('idle', 'busy')";

    private const string SelectHeld = "SELECT id FROM execution_executions WHERE runner = @Runner AND state IN (SELECT value FROM json_each(@States)) ORDER BY created_at";

    private const string InsertToken = """
        INSERT INTO execution_runner_tokens (id, token_hash, description, uses_left, created_at, expires_at)
        VALUES (@Id, @TokenHash, @Description, @UsesLeft, @CreatedAt, @ExpiresAt)
        """;

    // One use is taken in the same statement that checks the token, so two runners cannot both take the last one.
    private const string UseToken = """
        UPDATE execution_runner_tokens SET uses_left = uses_left - 1
        WHERE token_hash = @TokenHash AND expires_at > @Now AND (uses_left IS NULL OR uses_left > 0)
        RETURNING id
        """;

    public async Task<IReadOnlyList<RemoteRunnerRow>> AllAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<RemoteRunnerRow>(new CommandDefinition(SelectAll, cancellationToken: ct))];
    }

    public async Task<RemoteRunnerRow?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<RemoteRunnerRow>(new CommandDefinition(SelectById, new { Id = id }, cancellationToken: ct));
    }

    public async Task CreateAsync(RemoteRunnerRow row, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        await tx.Connection.ExecuteAsync(new CommandDefinition(Insert, row, tx.Transaction, cancellationToken: ct));
        await outbox.EnqueueAsync(tx, Updated(row), ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Saves a runner's row with its event; false when it was deleted (revoked) meanwhile.</summary>
    public async Task<bool> SaveAsync(RemoteRunnerRow row, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        var saved = await tx.Connection.ExecuteAsync(new CommandDefinition(Update, row, tx.Transaction, cancellationToken: ct)) == 1;
        if (saved)
            await outbox.EnqueueAsync(tx, Updated(row), ct);
        await tx.CommitAsync(ct);
        return saved;
    }

    /// <summary>Records when a runner was last heard from.</summary>
    public async Task TouchAsync(string id, DateTimeOffset lastSeen, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        await tx.Connection.ExecuteAsync(new CommandDefinition(Touch, new { Id = id, LastSeenAt = lastSeen }, tx.Transaction, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    /// <summary>Deletes a runner; false when there was none.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        var deleted = await tx.Connection.ExecuteAsync(new CommandDefinition(Delete, new { Id = id }, tx.Transaction, cancellationToken: ct)) == 1;
        if (deleted)
            await outbox.EnqueueAsync(tx, new RunnerRevoked(id), ct);
        await tx.CommitAsync(ct);
        return deleted;
    }

    private static RunnerUpdated Updated(RemoteRunnerRow row) =>
        new(row.Id, row.Name, row.State, row.Draining, JsonSerializer.Deserialize<string[]>(row.Labels) ?? [], row.LastSeenAt);

    public async Task DisconnectAllAsync(CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        await tx.Connection.ExecuteAsync(new CommandDefinition(DisconnectAll, transaction: tx.Transaction, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    /// <summary>The executions a runner holds (assigned or running), oldest first.</summary>
    public async Task<IReadOnlyList<string>> HeldByAsync(string runnerId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(SelectHeld,
            new { Runner = runnerId, States = SqlList.Of([EnumText.Of(ExecutionState.Assigned), EnumText.Of(ExecutionState.Running)]) }, cancellationToken: ct))];
    }

    /// <summary>Stores a new registration token by its hash.</summary>
    public async Task CreateTokenAsync(string id, string token, string description, int? uses, DateTimeOffset expiresAt, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        await tx.Connection.ExecuteAsync(new CommandDefinition(InsertToken, new
        {
            Id = id,
            TokenHash = RunnerCredentials.Hash(token),
            Description = description,
            UsesLeft = uses,
            CreatedAt = clock.GetUtcNow(),
            ExpiresAt = expiresAt,
        }, tx.Transaction, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    /// <summary>Takes one use of a registration token; false when it is unknown, expired or used up.</summary>
    public async Task<bool> UseTokenAsync(string token, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        var used = await tx.Connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(UseToken,
            new { TokenHash = RunnerCredentials.Hash(token), Now = clock.GetUtcNow() }, tx.Transaction, cancellationToken: ct)) is not null;
        await tx.CommitAsync(ct);
        return used;
    }
}
