using Dapper;
using LazyAf.Kernel.Db;

namespace LazyAf.Modules.Access.Data;

/// <summary>The <c>access_tokens</c> table: hashes, never tokens.</summary>
internal sealed class TokenStore(IDatabase database)
{
    /// <summary>A token with its user's name.</summary>
    public sealed record TokenRow(
        string Id, string UserId, string UserName, string Kind, string Name, string Hash, string Scopes,
        DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt)
    {
        public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private const string Columns = """
        t.id AS Id, t.user_id AS UserId, u.name AS UserName, t.kind AS Kind, t.name AS Name, t.hash AS Hash, t.scopes AS Scopes,
        t.created_at AS CreatedAt, t.expires_at AS ExpiresAt, t.revoked_at AS RevokedAt, t.last_used_at AS LastUsedAt
        """;

    private const string SelectByHash = $"SELECT {Columns} FROM access_tokens t JOIN access_users u ON u.id = t.user_id WHERE t.hash = @Hash";
    private const string SelectById = $"SELECT {Columns} FROM access_tokens t JOIN access_users u ON u.id = t.user_id WHERE t.id = @Id";
    private const string SelectAll = $"SELECT {Columns} FROM access_tokens t JOIN access_users u ON u.id = t.user_id ORDER BY t.created_at";

    private const string Insert = """
        INSERT INTO access_tokens (id, user_id, kind, name, hash, scopes, created_at, expires_at)
        VALUES (@Id, @UserId, @Kind, @Name, @Hash, @Scopes, @CreatedAt, @ExpiresAt)
        """;

    private const string Revoke = "UPDATE access_tokens SET revoked_at = @At WHERE id = @Id AND revoked_at IS NULL";
    private const string RevokeOwnerTokens = "UPDATE access_tokens SET revoked_at = @At WHERE kind = 'owner' AND revoked_at IS NULL";
    private const string Touch = "UPDATE access_tokens SET last_used_at = @At WHERE id = @Id";

    public async Task<TokenRow?> FindByHashAsync(string hash, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(SelectByHash, new { Hash = hash }, cancellationToken: ct));
    }

    public async Task<TokenRow?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(SelectById, new { Id = id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<TokenRow>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<TokenRow>(new CommandDefinition(SelectAll, cancellationToken: ct))).AsList();
    }

    public async Task InsertAsync(string id, string userId, string kind, string name, string hash, IEnumerable<string> scopes,
        DateTimeOffset createdAt, DateTimeOffset? expiresAt, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Insert,
            new { Id = id, UserId = userId, Kind = kind, Name = name, Hash = hash, Scopes = string.Join(' ', scopes), CreatedAt = createdAt, ExpiresAt = expiresAt },
            cancellationToken: ct));
    }

    /// <summary>A new owner token in place of every earlier one, in one transaction.</summary>
    public async Task ReplaceOwnerTokenAsync(string id, string userId, string hash, IEnumerable<string> scopes, DateTimeOffset at, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        await tx.Connection.ExecuteAsync(new CommandDefinition(RevokeOwnerTokens, new { At = at }, tx.Transaction, cancellationToken: ct));
        await tx.Connection.ExecuteAsync(new CommandDefinition(Insert,
            new { Id = id, UserId = userId, Kind = "owner", Name = "owner token", Hash = hash, Scopes = string.Join(' ', scopes), CreatedAt = at, ExpiresAt = (DateTimeOffset?)null },
            tx.Transaction, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    /// <summary>False when there is no such live token.</summary>
    public async Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(Revoke, new { Id = id, At = at }, cancellationToken: ct)) == 1;
    }

    public async Task TouchAsync(string id, DateTimeOffset at, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Touch, new { Id = id, At = at }, cancellationToken: ct));
    }
}
