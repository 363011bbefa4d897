using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Modules.Agents.Domain;

namespace LazyAf.Modules.Agents.Data;

/// <summary><c>agents_playground_runs</c>: playground runs; what their executions did is Execution's to tell.</summary>
internal sealed class PlaygroundStore(IDatabase database)
{
    private const string Columns = """
        id AS Id, repo_id AS RepoId, agent AS Agent, model AS Model, base_branch AS BaseBranch, base_sha AS BaseSha,
        task AS Task, execution_id AS ExecutionId, work_branch AS WorkBranch, saved_to AS SavedTo, created_at AS CreatedAt
        """;

    private const string SelectById = $"SELECT {Columns} FROM agents_playground_runs WHERE id = @Id";
    private const string SelectByRepo = $"SELECT {Columns} FROM agents_playground_runs WHERE repo_id = @RepoId ORDER BY created_at DESC, id DESC LIMIT @Limit";

    private const string Insert = """
        INSERT INTO agents_playground_runs (id, repo_id, agent, model, base_branch, base_sha, task, execution_id, work_branch, created_at)
        VALUES (@Id, @RepoId, @Agent, @Model, @BaseBranch, @BaseSha, @Task, @ExecutionId, @WorkBranch, @CreatedAt)
        """;

    private const string UpdateSavedTo = "UPDATE agents_playground_runs SET saved_to = @Branch WHERE id = @Id";
    private const string Delete = "DELETE FROM agents_playground_runs WHERE id = @Id";
    private const string DeleteOfRepo = "DELETE FROM agents_playground_runs WHERE repo_id = @RepoId";

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
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(UpdateSavedTo, new { Id = id, Branch = branch }, cancellationToken: ct));
    }

    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Delete, new { Id = id }, cancellationToken: ct));
    }

    public async Task DeleteOfRepoAsync(string repoId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(DeleteOfRepo, new { RepoId = repoId }, cancellationToken: ct));
    }
}
