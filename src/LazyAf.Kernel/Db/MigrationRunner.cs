using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LazyAf.Kernel.Db;

/// <summary>
/// Applies every module's pending migrations before anything else in the host starts (including
/// the web server), each script once, in order, in its own transaction, recorded in
/// <c>schema_migrations</c>.
/// </summary>
internal sealed class MigrationRunner(
    IDatabase database,
    IEnumerable<ModuleMigrations> modules,
    TimeProvider clock,
    ILogger<MigrationRunner> logger) : IHostedLifecycleService
{
    private const string CreateLedger = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            module     TEXT NOT NULL,
            version    TEXT NOT NULL,
            applied_at TEXT NOT NULL,
            PRIMARY KEY (module, version)
        );
        """;

    private const string IsApplied = "SELECT COUNT(*) FROM schema_migrations WHERE module = @Module AND version = @Version";

    private const string Ledger = "SELECT module, version FROM schema_migrations";

    private const string Record = "INSERT INTO schema_migrations (module, version, applied_at) VALUES (@Module, @Version, @AppliedAt)";

    public async Task<int> MigrateAsync(CancellationToken ct)
    {
        // The ledger is read once: on an existing data directory every script is in it, and a write transaction per
        // script only to find that out was ~30 immediate transactions on every start. A script missing from it is
        // checked again under the write lock before it is applied.
        HashSet<(string Module, string Version)> known;
        await using (var connection = await database.OpenAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(CreateLedger, cancellationToken: ct));
            known = [.. await connection.QueryAsync<(string, string)>(new CommandDefinition(Ledger, cancellationToken: ct))];
        }

        var applied = 0;
        foreach (var module in modules)
        {
            foreach (var script in module.Scripts())
            {
                if (!known.Contains((module.Module, script.Version)) && await ApplyAsync(module.Module, script, ct))
                    applied++;
            }
        }
        return applied;
    }

    private async Task<bool> ApplyAsync(string module, MigrationScript script, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        var args = new { Module = module, script.Version, AppliedAt = clock.GetUtcNow() };
        // Checked inside the write lock, so two hosts starting on one file cannot both apply a script.
        if (await tx.Connection.ExecuteScalarAsync<long>(new CommandDefinition(IsApplied, args, tx.Transaction, cancellationToken: ct)) > 0)
            return false;

        await tx.Connection.ExecuteAsync(new CommandDefinition(script.ReadSql(), transaction: tx.Transaction, cancellationToken: ct));
        await tx.Connection.ExecuteAsync(new CommandDefinition(Record, args, tx.Transaction, cancellationToken: ct));
        await tx.CommitAsync(ct);
        logger.LogInformation("Applied migration {MigrationModule}/{Version}", module, script.Version);
        return true;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => MigrateAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
