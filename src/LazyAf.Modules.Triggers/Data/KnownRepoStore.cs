using Dapper;
using LazyAf.Kernel.Db;

namespace LazyAf.Modules.Triggers.Data;

/// <summary>
/// The <c>triggers_repos</c> table: the repos the scheduler looks at for schedule triggers. Forgetting a repo (it was
/// deleted) drops everything this module holds of it: schedule slots, webhooks (their URLs answer 404) and firings.
/// </summary>
internal sealed class KnownRepoStore(IDatabase database, TimeProvider clock)
{
    private const string Upsert = "INSERT INTO triggers_repos (repo_id, seen_at) VALUES (@RepoId, @At) ON CONFLICT (repo_id) DO NOTHING";
    private const string Delete = """
        DELETE FROM triggers_repos WHERE repo_id = @RepoId;
        DELETE FROM triggers_schedules WHERE repo_id = @RepoId;
        DELETE FROM triggers_webhooks WHERE repo_id = @RepoId;
        DELETE FROM triggers_firings WHERE repo_id = @RepoId;
        """;
    private const string SelectAll = "SELECT repo_id FROM triggers_repos ORDER BY repo_id";

    public async Task RememberAsync(string repoId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Upsert, new { RepoId = repoId, At = clock.GetUtcNow() }, cancellationToken: ct));
    }

    public async Task ForgetAsync(string repoId, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        await tx.Connection.ExecuteAsync(new CommandDefinition(Delete, new { RepoId = repoId }, tx.Transaction, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<string>> AllAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(SelectAll, cancellationToken: ct))).AsList();
    }
}
