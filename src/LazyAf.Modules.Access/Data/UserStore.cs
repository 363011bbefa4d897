using Dapper;
using LazyAf.Kernel.Db;
using Microsoft.Data.Sqlite;

namespace LazyAf.Modules.Access.Data;

/// <summary>The <c>access_users</c> table.</summary>
internal sealed class UserStore(IDatabase database)
{
    /// <summary>A user; the owner is the one made at the first start.</summary>
    public sealed record User
    {
        public required string Id { get; init; }

        public required string Name { get; init; }

        public bool IsOwner { get; init; }

        public DateTimeOffset CreatedAt { get; init; }
    }

    private const string Columns = "id AS Id, name AS Name, is_owner AS IsOwner, created_at AS CreatedAt";
    private const string SelectAll = $"SELECT {Columns} FROM access_users ORDER BY created_at, name";
    private const string SelectByName = $"SELECT {Columns} FROM access_users WHERE name = @Name";
    private const string SelectOwner = $"SELECT {Columns} FROM access_users WHERE is_owner = 1";
    private const string Insert = "INSERT INTO access_users (id, name, is_owner, created_at) VALUES (@Id, @Name, @IsOwner, @CreatedAt)";

    public async Task<IReadOnlyList<User>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<User>(new CommandDefinition(SelectAll, cancellationToken: ct))).AsList();
    }

    public async Task<User?> FindByNameAsync(string name, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(SelectByName, new { Name = name }, cancellationToken: ct));
    }

    public async Task<User?> FindOwnerAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(SelectOwner, cancellationToken: ct));
    }

    /// <summary>False when the name is taken.</summary>
    public async Task<bool> TryInsertAsync(User user, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(Insert, user, cancellationToken: ct));
            return true;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            return false;
        }
    }
}
