using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.DataProtection;

namespace LazyAf.Modules.Repos.Data;

/// <summary>
/// The <c>repos_secrets</c> (a repo's) and <c>repos_global_secrets</c> (every repo's) tables; values go in and out
/// through the data protector, names are plain. A null repo id means the global secrets.
/// </summary>
internal sealed class SecretStore(IDatabase database, IDataProtectionProvider protection, TimeProvider clock) : IRepoSecrets
{
    private readonly IDataProtector _protector = protection.CreateProtector("LazyAf.Repos.Secrets");

    public sealed record SecretName(string Name, DateTimeOffset UpdatedAt);

    // Set by property, not by constructor: with no rows SQLite reports the "Global" expression column as a blob, and
    // Dapper refuses a constructor whose parameter types do not match (every step's finish failed on that).
    private sealed class Row
    {
        public string Name { get; set; } = "";

        public string ProtectedValue { get; set; } = "";

        public bool Global { get; set; }
    }

    private const string SelectNames = "SELECT name AS Name, updated_at AS UpdatedAt FROM repos_secrets WHERE repo_id = @RepoId ORDER BY name";
    private const string SelectGlobalNames = "SELECT name AS Name, updated_at AS UpdatedAt FROM repos_global_secrets ORDER BY name";

    private const string SelectValues = """
        SELECT name AS Name, protected_value AS ProtectedValue, 0 AS "Global" FROM repos_secrets WHERE repo_id = @RepoId
        UNION ALL
        SELECT name, protected_value, 1 FROM repos_global_secrets
        """;

    private const string Upsert = """
        INSERT INTO repos_secrets (repo_id, name, protected_value, updated_at) VALUES (@RepoId, @Name, @Value, @At)
        ON CONFLICT (repo_id, name) DO UPDATE SET protected_value = @Value, updated_at = @At
        """;

    private const string UpsertGlobal = """
        INSERT INTO repos_global_secrets (name, protected_value, updated_at) VALUES (@Name, @Value, @At)
        ON CONFLICT (name) DO UPDATE SET protected_value = @Value, updated_at = @At
        """;

    private const string Delete = "DELETE FROM repos_secrets WHERE repo_id = @RepoId AND name = @Name";
    private const string DeleteGlobal = "DELETE FROM repos_global_secrets WHERE name = @Name";

    public async Task<IReadOnlyList<SecretName>> NamesAsync(string? repoId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<SecretName>(new CommandDefinition(repoId is null ? SelectGlobalNames : SelectNames, new { RepoId = repoId }, cancellationToken: ct))).AsList();
    }

    public async Task<StepSecrets> ForStepAsync(string repoId, IReadOnlyCollection<string> names, CancellationToken ct)
    {
        if (names.Count == 0)
            return new StepSecrets(new Dictionary<string, string>(), []);
        var rows = await RowsAsync(repoId, ct);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            // The repo's own secret wins over a global one of the same name.
            if (rows.Where(r => r.Name == name).OrderBy(r => r.Global).FirstOrDefault() is { } row)
                values[name] = _protector.Unprotect(row.ProtectedValue);
        }
        return new StepSecrets(values, [.. names.Where(n => !values.ContainsKey(n)).Distinct(StringComparer.Ordinal)]);
    }

    public async Task<IReadOnlyList<string>> AllValuesAsync(string repoId, CancellationToken ct) =>
        [.. (await RowsAsync(repoId, ct)).Select(r => _protector.Unprotect(r.ProtectedValue))];

    public async Task SetAsync(string? repoId, string name, string value, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(repoId is null ? UpsertGlobal : Upsert,
            new { RepoId = repoId, Name = name, Value = _protector.Protect(value), At = clock.GetUtcNow() }, cancellationToken: ct));
    }

    public async Task<bool> DeleteAsync(string? repoId, string name, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(repoId is null ? DeleteGlobal : Delete, new { RepoId = repoId, Name = name }, cancellationToken: ct)) == 1;
    }

    private async Task<IReadOnlyList<Row>> RowsAsync(string repoId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<Row>(new CommandDefinition(SelectValues, new { RepoId = repoId }, cancellationToken: ct))).AsList();
    }
}
