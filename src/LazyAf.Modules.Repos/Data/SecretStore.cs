using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.DataProtection;

namespace LazyAf.Modules.Repos.Data;

/// <summary>The <c>repos_secrets</c> table; values go in and out through the data protector, names are plain.</summary>
internal sealed class SecretStore(IDatabase database, IDataProtectionProvider protection, TimeProvider clock) : IRepoSecrets
{
    private readonly IDataProtector _protector = protection.CreateProtector("LazyAf.Repos.Secrets");

    public sealed record SecretName(string Name, DateTimeOffset UpdatedAt);

    private sealed record Row(string Name, string ProtectedValue);

    private const string SelectNames = "SELECT name AS Name, updated_at AS UpdatedAt FROM repos_secrets WHERE repo_id = @RepoId ORDER BY name";
    private const string SelectValues = "SELECT name AS Name, protected_value AS ProtectedValue FROM repos_secrets WHERE repo_id = @RepoId";

    private const string Upsert = """
        INSERT INTO repos_secrets (repo_id, name, protected_value, updated_at) VALUES (@RepoId, @Name, @Value, @At)
        ON CONFLICT (repo_id, name) DO UPDATE SET protected_value = @Value, updated_at = @At
        """;

    private const string Delete = "DELETE FROM repos_secrets WHERE repo_id = @RepoId AND name = @Name";

    public async Task<IReadOnlyList<SecretName>> NamesAsync(string repoId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<SecretName>(new CommandDefinition(SelectNames, new { RepoId = repoId }, cancellationToken: ct))).AsList();
    }

    public async Task<IReadOnlyDictionary<string, string>> ValuesAsync(string repoId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(SelectValues, new { RepoId = repoId }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Name, r => _protector.Unprotect(r.ProtectedValue));
    }

    public async Task SetAsync(string repoId, string name, string value, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Upsert,
            new { RepoId = repoId, Name = name, Value = _protector.Protect(value), At = clock.GetUtcNow() }, cancellationToken: ct));
    }

    public async Task<bool> DeleteAsync(string repoId, string name, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(Delete, new { RepoId = repoId, Name = name }, cancellationToken: ct)) == 1;
    }
}
