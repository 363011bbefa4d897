using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Repos.Domain;
using Microsoft.Data.Sqlite;

namespace LazyAf.Modules.Repos.Data;

/// <summary>The <c>repos_repos</c> table.</summary>
/// <remarks>Every write publishes its <c>repo.*</c> event in the same transaction.</remarks>
internal sealed class RepoStore(IDatabase database, IEventOutbox outbox)
{
    private const string Columns = """
        id AS Id, name AS Name, default_branch AS DefaultBranch, remote_url AS RemoteUrl,
        created_at AS CreatedAt, updated_at AS UpdatedAt, setup_command AS SetupCommand, secrets_file AS SecretsFile
        """;

    private const string SelectAll = $"SELECT {Columns} FROM repos_repos ORDER BY name";
    private const string SelectById = $"SELECT {Columns} FROM repos_repos WHERE id = @Id";
    private const string SelectByName = $"SELECT {Columns} FROM repos_repos WHERE name = @Name";

    private const string Insert = """
        INSERT INTO repos_repos (id, name, default_branch, remote_url, created_at, updated_at, setup_command, secrets_file)
        VALUES (@Id, @Name, @DefaultBranch, @RemoteUrl, @CreatedAt, @UpdatedAt, @SetupCommand, @SecretsFile)
        """;

    private const string Update = """
        UPDATE repos_repos
        SET name = @Name, default_branch = @DefaultBranch, remote_url = @RemoteUrl, updated_at = @UpdatedAt,
            setup_command = @SetupCommand, secrets_file = @SecretsFile
        WHERE id = @Id
        """;

    private const string Delete = "DELETE FROM repos_repos WHERE id = @Id";

    public async Task<IReadOnlyList<Repo>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<Repo>(new CommandDefinition(SelectAll, cancellationToken: ct))).AsList();
    }

    public async Task<Repo?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Repo>(new CommandDefinition(SelectById, new { Id = id }, cancellationToken: ct));
    }

    public async Task<Repo?> FindByNameAsync(string name, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Repo>(new CommandDefinition(SelectByName, new { Name = name }, cancellationToken: ct));
    }

    /// <summary>Inserts inside <paramref name="tx"/>; false when the name is taken.</summary>
    public async Task<bool> TryInsertAsync(WriteTransaction tx, Repo repo, CancellationToken ct)
    {
        try
        {
            await tx.Connection.ExecuteAsync(new CommandDefinition(Insert, repo, tx.Transaction, cancellationToken: ct));
            await outbox.EnqueueAsync(tx, new RepoCreated(repo.ToInfo()), ct);
            return true;
        }
        catch (SqliteException ex) when (IsUniqueViolation(ex))
        {
            return false;
        }
    }

    /// <summary>Saves the record; false when the new name is taken.</summary>
    public async Task<bool> TryUpdateAsync(Repo repo, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        try
        {
            await tx.Connection.ExecuteAsync(new CommandDefinition(Update, repo, tx.Transaction, cancellationToken: ct));
            await outbox.EnqueueAsync(tx, new RepoUpdated(repo.ToInfo()), ct);
            await tx.CommitAsync(ct);
            return true;
        }
        catch (SqliteException ex) when (IsUniqueViolation(ex))
        {
            return false;
        }
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        if (await tx.Connection.ExecuteAsync(new CommandDefinition(Delete, new { Id = id }, tx.Transaction, cancellationToken: ct)) == 0)
            return false;
        await outbox.EnqueueAsync(tx, new RepoDeleted(id), ct);
        await tx.CommitAsync(ct);
        return true;
    }

    private static bool IsUniqueViolation(SqliteException ex) =>
        ex.SqliteErrorCode == 19 && ex.Message.Contains("UNIQUE", StringComparison.Ordinal);
}
