using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Modules.Execution.Domain;

namespace LazyAf.Modules.Execution.Data;

/// <summary><c>execution_playground_runs</c>, read together with each run's execution and agent usage.</summary>
internal sealed class PlaygroundStore(IDatabase database)
{
    private const string Select = """
        SELECT r.id AS Id, r.repo_id AS RepoId, r.agent AS Agent, r.model AS Model, r.base_branch AS BaseBranch, r.base_sha AS BaseSha,
               r.task AS Task, r.execution_id AS ExecutionId, r.work_branch AS WorkBranch, r.saved_to AS SavedTo, r.created_at AS CreatedAt,
               e.state AS State, e.error AS Error, e.commit_sha AS ResultSha, e.started_at AS StartedAt, e.finished_at AS FinishedAt,
               u.execution_id IS NOT NULL AS HasUsage, u.session_id AS SessionId, u.model AS UsedModel, u.turns AS Turns,
               COALESCE(u.input_tokens, 0) AS InputTokens, COALESCE(u.output_tokens, 0) AS OutputTokens, u.cost_usd AS CostUsd
        FROM execution_playground_runs r
        LEFT JOIN execution_executions e ON e.id = r.execution_id
        LEFT JOIN execution_agent_usage u ON u.execution_id = r.execution_id
        """;

    private const string SelectById = $"{Select} WHERE r.id = @Id";
    private const string SelectByRepo = $"{Select} WHERE r.repo_id = @RepoId ORDER BY r.created_at DESC, r.id DESC LIMIT @Limit";

    private const string Insert = """
        INSERT INTO execution_playground_runs (id, repo_id, agent, model, base_branch, base_sha, task, execution_id, work_branch, created_at)
        VALUES (@Id, @RepoId, @Agent, @Model, @BaseBranch, @BaseSha, @Task, @ExecutionId, @WorkBranch, @CreatedAt)
        """;

    private const string UpdateSavedTo = "UPDATE execution_playground_runs SET saved_to = @Branch WHERE id = @Id";
    private const string Delete = "DELETE FROM execution_playground_runs WHERE id = @Id";
    private const string DeleteOfRepo = "DELETE FROM execution_playground_runs WHERE repo_id = @RepoId";

    /// <summary>Stores the run in <paramref name="tx"/>, where its execution is requested too, so a crash cannot leave a run that never runs.</summary>
    public static async Task InsertAsync(WriteTransaction tx, PlaygroundRun run, CancellationToken ct) =>
        await tx.Connection.ExecuteAsync(new CommandDefinition(Insert, run, tx.Transaction, cancellationToken: ct));

    public async Task<PlaygroundRun?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<PlaygroundRun>(new CommandDefinition(SelectById, new { Id = id }, cancellationToken: ct));
    }

    /// <summary>The repo's runs, newest first.</summary>
    public async Task<IReadOnlyList<PlaygroundRun>> ListAsync(string repoId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<PlaygroundRun>(new CommandDefinition(SelectByRepo, new { RepoId = repoId, Limit = limit }, cancellationToken: ct))).AsList();
    }

    public async Task SavedToAsync(string id, string branch, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        await tx.Connection.ExecuteAsync(new CommandDefinition(UpdateSavedTo, new { Id = id, Branch = branch }, tx.Transaction, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        await tx.Connection.ExecuteAsync(new CommandDefinition(Delete, new { Id = id }, tx.Transaction, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    public async Task DeleteOfRepoAsync(string repoId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(DeleteOfRepo, new { RepoId = repoId }, cancellationToken: ct));
    }
}
