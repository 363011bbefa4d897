using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Pipelines.Domain;

namespace LazyAf.Modules.Pipelines.Data;

/// <summary>The <c>pipelines_runs</c> and <c>pipelines_run_steps</c> tables.</summary>
internal sealed class RunStore(IDatabase database)
{
    private const string RunColumns = """
        id AS Id, repo_id AS RepoId, pipeline AS Pipeline, source AS Source, definition AS Definition, branch AS Branch,
        work_branch AS WorkBranch, commit_sha AS CommitSha, head_sha AS HeadSha, state AS State, trigger_kind AS TriggerKind, trigger_id AS TriggerId,
        card_id AS CardId, dedup_key AS DedupKey, params AS Params, error AS Error, stopping AS Stopping, breakpoints AS Breakpoints, paused_step AS PausedStep,
        pause_on_failure AS PauseOnFailure, paused_after_failure AS PausedAfterFailure, created_at AS CreatedAt,
        started_at AS StartedAt, finished_at AS FinishedAt, updated_at AS UpdatedAt, version AS Version
        """;

    private const string StepColumns = """
        run_id AS RunId, step_id AS StepId, attempt AS Attempt, round AS Round, fix_for AS FixFor, execution_id AS ExecutionId,
        state AS State, exit_code AS ExitCode, error AS Error, tests AS Tests, commit_sha AS CommitSha, created_at AS CreatedAt,
        started_at AS StartedAt, finished_at AS FinishedAt
        """;

    private const string SelectRun = $"SELECT {RunColumns} FROM pipelines_runs WHERE id = @Id";
    private const string SelectByDedup = $"SELECT {RunColumns} FROM pipelines_runs WHERE dedup_key = @Key";
    // Newest first by rowid, the commit order (one writer): a run started while a client pages is never on a later page.
    private const string SelectRuns = $"""
        SELECT rowid AS Seq, {RunColumns} FROM pipelines_runs
        WHERE (@RepoId IS NULL OR repo_id = @RepoId) AND (@Pipeline IS NULL OR pipeline = @Pipeline) AND (@State IS NULL OR state = @State)
          AND (@After = 0 OR rowid < @After)
        ORDER BY rowid DESC LIMIT @Take
        """;
    private const string SelectSteps = $"SELECT {StepColumns} FROM pipelines_run_steps WHERE run_id = @RunId ORDER BY created_at, attempt";
    private const string SelectStepByExecution = $"SELECT {StepColumns} FROM pipelines_run_steps WHERE execution_id = @ExecutionId";

    // A second run with the same dedup key inserts nothing.
    private const string InsertRun = """
        INSERT INTO pipelines_runs (id, repo_id, pipeline, source, definition, branch, work_branch, commit_sha, state, trigger_kind, trigger_id,
                                    card_id, dedup_key, params, error, stopping, breakpoints, paused_step, pause_on_failure, paused_after_failure, created_at, started_at, finished_at, updated_at, version)
        VALUES (@Id, @RepoId, @Pipeline, @Source, @Definition, @Branch, @WorkBranch, @CommitSha, @State, @TriggerKind, @TriggerId,
                @CardId, @DedupKey, @Params, @Error, @Stopping, @Breakpoints, @PausedStep, @PauseOnFailure, @PausedAfterFailure, @CreatedAt, @StartedAt, @FinishedAt, @UpdatedAt, 1)
        ON CONFLICT DO NOTHING
        """;

    // Optimistic: the write lands only on the version that was read.
    private const string UpdateRun = """
        UPDATE pipelines_runs
        SET state = @State, head_sha = @HeadSha, error = @Error, stopping = @Stopping, breakpoints = @Breakpoints, paused_step = @PausedStep,
            paused_after_failure = @PausedAfterFailure, started_at = @StartedAt, finished_at = @FinishedAt,
            updated_at = @UpdatedAt, version = @Version + 1
        WHERE id = @Id AND version = @Version
        """;

    private const string SelectActiveOfCard = $"""
        SELECT {RunColumns} FROM pipelines_runs WHERE card_id = @CardId AND state IN ('pending', 'running', 'paused') ORDER BY rowid
        """;

    // Their step attempts go with them (ON DELETE CASCADE).
    private const string DeleteOfRepo = "DELETE FROM pipelines_runs WHERE repo_id = @RepoId";

    private const string InsertStep = """
        INSERT INTO pipelines_run_steps (run_id, step_id, attempt, round, fix_for, execution_id, state, created_at)
        VALUES (@RunId, @StepId, @Attempt, @Round, @FixFor, @ExecutionId, @State, @CreatedAt)
        """;

    private const string UpdateStep = """
        UPDATE pipelines_run_steps
        SET state = @State, exit_code = @ExitCode, error = @Error, tests = @Tests, commit_sha = @CommitSha, started_at = @StartedAt, finished_at = @FinishedAt
        WHERE execution_id = @ExecutionId
        """;

    public async Task<RunRow?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(SelectRun, new { Id = id }, cancellationToken: ct));
    }

    public async Task<RunRow?> FindByDedupKeyAsync(string key, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(SelectByDedup, new { Key = key }, cancellationToken: ct));
    }

    /// <summary>One page of runs, newest first, each with its key for the next page (the page's <c>After</c> is the oldest key the client has).</summary>
    public async Task<IReadOnlyList<(long Seq, RunRow Row)>> ListAsync(string? repoId, string? pipeline, string? state, PageRequest page, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<long, RunRow, (long, RunRow)>(
            new CommandDefinition(SelectRuns, new { RepoId = repoId, Pipeline = pipeline, State = state, page.After, page.Take }, cancellationToken: ct),
            (seq, row) => (seq, row),
            splitOn: "Id")).AsList();
    }

    public async Task<IReadOnlyList<StepRow>> StepsAsync(string runId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<StepRow>(new CommandDefinition(SelectSteps, new { RunId = runId }, cancellationToken: ct))).AsList();
    }

    public async Task<StepRow?> StepByExecutionAsync(string executionId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<StepRow>(new CommandDefinition(SelectStepByExecution, new { ExecutionId = executionId }, cancellationToken: ct));
    }

    /// <summary>The runs building a card's branch that have not ended (pending, running or paused).</summary>
    public async Task<IReadOnlyList<RunRow>> ActiveOfCardAsync(string cardId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<RunRow>(new CommandDefinition(SelectActiveOfCard, new { CardId = cardId }, cancellationToken: ct))).AsList();
    }

    public async Task DeleteOfRepoAsync(string repoId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(DeleteOfRepo, new { RepoId = repoId }, cancellationToken: ct));
    }

    public static async Task<bool> InsertAsync(WriteTransaction tx, RunRow row, CancellationToken ct) =>
        await tx.Connection.ExecuteAsync(new CommandDefinition(InsertRun, row, tx.Transaction, cancellationToken: ct)) == 1;

    public static async Task<bool> TryUpdateAsync(WriteTransaction tx, RunRow row, CancellationToken ct) =>
        await tx.Connection.ExecuteAsync(new CommandDefinition(UpdateRun, row, tx.Transaction, cancellationToken: ct)) == 1;

    public static Task InsertStepAsync(WriteTransaction tx, StepRow row, CancellationToken ct) =>
        tx.Connection.ExecuteAsync(new CommandDefinition(InsertStep, row, tx.Transaction, cancellationToken: ct));

    public static Task UpdateStepAsync(WriteTransaction tx, StepRow row, CancellationToken ct) =>
        tx.Connection.ExecuteAsync(new CommandDefinition(UpdateStep, row, tx.Transaction, cancellationToken: ct));
}
