using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Modules.Triggers.Domain;
using Microsoft.AspNetCore.DataProtection;

namespace LazyAf.Modules.Triggers.Data;

/// <summary>The <c>triggers_webhooks</c> table; secrets go in and out through the data protector.</summary>
internal sealed class WebhookStore(IDatabase database, IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("LazyAf.Triggers.WebhookSecrets");

    private const string Columns = """
        id AS Id, repo_id AS RepoId, token AS Token, pipeline AS Pipeline, provider AS Provider,
        protected_secret AS ProtectedSecret, created_at AS CreatedAt
        """;

    private const string Insert = """
        INSERT INTO triggers_webhooks (id, repo_id, token, pipeline, provider, protected_secret, created_at)
        VALUES (@Id, @RepoId, @Token, @Pipeline, @Provider, @ProtectedSecret, @CreatedAt)
        """;

    private const string SelectByToken = $"SELECT {Columns} FROM triggers_webhooks WHERE token = @Token";
    private const string SelectByRepo = $"SELECT {Columns} FROM triggers_webhooks WHERE repo_id = @RepoId ORDER BY created_at, id";
    private const string Delete = "DELETE FROM triggers_webhooks WHERE repo_id = @RepoId AND id = @Id";

    /// <summary>Stores <paramref name="webhook"/> with <paramref name="secret"/> encrypted; returns the stored row.</summary>
    public async Task<Webhook> AddAsync(Webhook webhook, string? secret, CancellationToken ct)
    {
        var row = webhook with { ProtectedSecret = secret is null ? null : _protector.Protect(secret) };
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Insert, row, cancellationToken: ct));
        return row;
    }

    public async Task<Webhook?> FindByTokenAsync(string token, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Webhook>(new CommandDefinition(SelectByToken, new { Token = token }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<Webhook>> ListAsync(string repoId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<Webhook>(new CommandDefinition(SelectByRepo, new { RepoId = repoId }, cancellationToken: ct))).AsList();
    }

    public async Task<bool> DeleteAsync(string repoId, string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(Delete, new { RepoId = repoId, Id = id }, cancellationToken: ct)) == 1;
    }

    /// <summary>The webhook's secret in clear, for verifying a delivery; null when it has none.</summary>
    public string? SecretOf(Webhook webhook) => webhook.ProtectedSecret is { } value ? _protector.Unprotect(value) : null;
}
