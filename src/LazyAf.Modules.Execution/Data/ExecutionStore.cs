using LazyAf.Kernel;
using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Domain;

namespace LazyAf.Modules.Execution.Data;

/// <summary>The <c>execution_executions</c> table. Every state change is saved with its <c>execution.updated</c> event.</summary>
internal sealed class ExecutionStore(IDatabase database, IEventOutbox outbox, LogFollowSignal followers)
{
    private const string Columns = """
        id AS Id, idempotency_key AS IdempotencyKey, kind AS Kind, subject_id AS SubjectId, repo_id AS RepoId, branch AS Branch, attempt AS Attempt,
        request AS Request, state AS State, runner AS Runner, exit_code AS ExitCode, error AS Error, tests AS Tests,
        commit_sha AS CommitSha, created_at AS CreatedAt, started_at AS StartedAt, finished_at AS FinishedAt,
        updated_at AS UpdatedAt, version AS Version, lost_runners AS LostRunners, log_seq_base AS LogSeqBase
        """;

    private const string SelectById = $"SELECT {Columns} FROM execution_executions WHERE id = @Id";

    // The executor of the newest other execution of the same workspace (a continue_in_context key) or pipeline run.
    private const string SelectWorkspaceHolder = """
        SELECT runner FROM execution_executions
        WHERE repo_id = @RepoId AND id <> @Id AND runner IS NOT NULL
          AND ((@WorkspaceKey IS NOT NULL AND json_extract(request, '$.workspace_key') = @WorkspaceKey)
            OR (@RunId IS NOT NULL AND json_extract(request, '$.run_id') = @RunId))
        ORDER BY created_at DESC LIMIT 1
        """;
    private const string SelectByIds = $"SELECT {Columns} FROM execution_executions WHERE id IN (SELECT value FROM json_each(@Ids))";
    private const string SelectByKey = $"SELECT {Columns} FROM execution_executions WHERE idempotency_key = @Key";
    private const string SelectInStates = $"SELECT {Columns} FROM execution_executions WHERE state IN (SELECT value FROM json_each(@States)) ORDER BY created_at LIMIT @Limit";
    private const string SelectIdsOfRepo = "SELECT id FROM execution_executions WHERE repo_id = @RepoId AND state IN (SELECT value FROM json_each(@States))";

    // Logs, agent events, usage and approvals go with their execution (ON DELETE CASCADE).
    private const string DeleteOfRepo = "DELETE FROM execution_executions WHERE repo_id = @RepoId";

    // A second request with the same key inserts nothing: the same work never runs twice.
    private const string Insert = """
        INSERT INTO execution_executions (id, idempotency_key, kind, subject_id, repo_id, branch, attempt, request, state, created_at, updated_at, version)
        VALUES (@Id, @IdempotencyKey, @Kind, @SubjectId, @RepoId, @Branch, @Attempt, @Request, @State, @CreatedAt, @UpdatedAt, 1)
        ON CONFLICT DO NOTHING
        """;

    private const string Update = """
        UPDATE execution_executions
        SET state = @State, runner = @Runner, exit_code = @ExitCode, error = @Error, tests = @Tests, commit_sha = @CommitSha,
            started_at = @StartedAt, finished_at = @FinishedAt, updated_at = @UpdatedAt, version = @Version + 1,
            lost_runners = @LostRunners, log_seq_base = @LogSeqBase
        WHERE id = @Id AND version = @Version
        """;

    /// <summary>
    /// The executor that ran the newest earlier step of <paramref name="execution"/>'s workspace or pipeline run, and so
    /// holds its workspace (its checkout, its caches); null when the step shares none or none ran yet.
    /// </summary>
    public Task<string?> WorkspaceHolderAsync(StepExecution execution, CancellationToken ct) => WorkspaceHolderAsync(execution.Request, ct);

    /// <summary>The executor holding the workspace <paramref name="request"/>'s step would run in (see above); for a step not requested yet too.</summary>
    public async Task<string?> WorkspaceHolderAsync(ExecutionRequested request, CancellationToken ct)
    {
        if (request.WorkspaceKey is null && request.RunId is null)
            return null;
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(SelectWorkspaceHolder,
            new { request.RepoId, Id = request.ExecutionId, request.WorkspaceKey, request.RunId }, cancellationToken: ct));
    }

    public async Task<StepExecution?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<ExecutionRow>(new CommandDefinition(SelectById, new { Id = id }, cancellationToken: ct));
        return row is null ? null : new StepExecution(row);
    }

    /// <summary>The executions of <paramref name="ids"/> that exist.</summary>
    public async Task<IReadOnlyList<StepExecution>> FindAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
            return [];
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<ExecutionRow>(new CommandDefinition(SelectByIds, new { Ids = SqlList.Of(ids) }, cancellationToken: ct));
        return [.. rows.Select(r => new StepExecution(r))];
    }

    public async Task<IReadOnlyList<StepExecution>> InStatesAsync(IReadOnlyList<ExecutionState> states, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<ExecutionRow>(new CommandDefinition(
            SelectInStates, new { States = SqlList.Of(states.Select(EnumText.Of)), Limit = limit }, cancellationToken: ct));
        return rows.Select(r => new StepExecution(r)).ToList();
    }

    /// <summary>The ids of a repo's executions in <paramref name="states"/>.</summary>
    public async Task<IReadOnlyList<string>> IdsOfRepoAsync(string repoId, IReadOnlyList<ExecutionState> states, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(
            SelectIdsOfRepo, new { RepoId = repoId, States = SqlList.Of(states.Select(EnumText.Of)) }, cancellationToken: ct))];
    }

    /// <summary>Deletes every execution of a repo with its logs, agent events and approvals.</summary>
    public async Task DeleteOfRepoAsync(string repoId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(DeleteOfRepo, new { RepoId = repoId }, cancellationToken: ct));
    }

    /// <summary>Creates the execution unless one with its idempotency key exists; returns the one that is stored.</summary>
    public async Task<(StepExecution Execution, bool Created)> CreateAsync(ExecutionRow row, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        var created = await CreateAsync(tx, row, ct);
        await tx.CommitAsync(ct);
        return created;
    }

    /// <summary>As above, in <paramref name="tx"/>: the execution exists exactly when the requester's writes do.</summary>
    public async Task<(StepExecution Execution, bool Created)> CreateAsync(WriteTransaction tx, ExecutionRow row, CancellationToken ct)
    {
        var created = await tx.Connection.ExecuteAsync(new CommandDefinition(Insert, row, tx.Transaction, cancellationToken: ct)) == 1;
        if (created)
            await outbox.EnqueueAsync(tx, new ExecutionUpdated(new StepExecution(row).Snapshot()), ct);
        var stored = await tx.Connection.QuerySingleAsync<ExecutionRow>(new CommandDefinition(SelectByKey, new { Key = row.IdempotencyKey }, tx.Transaction, cancellationToken: ct));
        return (new StepExecution(stored), created);
    }

    /// <summary>Saves a state change over the version that was read; null when someone else changed it first, else the saved execution.</summary>
    public Task<StepExecution?> SaveAsync(StepExecution execution, CancellationToken ct) => SaveAsync(execution, null, ct);

    /// <summary>
    /// Saves a state change over the version that was read, with <paramref name="alongside"/>'s writes (another module's,
    /// through its contract) in the same transaction; null when someone else changed it first, else the saved execution.
    /// </summary>
    public async Task<StepExecution?> SaveAsync(StepExecution execution, Func<WriteTransaction, Task>? alongside, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        if (await tx.Connection.ExecuteAsync(new CommandDefinition(Update, execution.Row, tx.Transaction, cancellationToken: ct)) != 1)
            return null;
        if (alongside is not null)
            await alongside(tx);
        var usage = await AgentEventStore.UsageAsync(tx.Connection, tx.Transaction, execution.Row.Id, ct);
        await outbox.EnqueueAsync(tx, new ExecutionUpdated(execution.Snapshot() with { Usage = usage }), ct);
        await tx.CommitAsync(ct);
        // A follower of the log ends once the execution has.
        followers.Notify(execution.Row.Id);
        return execution.Saved();
    }
}
