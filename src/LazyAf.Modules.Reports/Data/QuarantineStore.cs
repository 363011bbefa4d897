using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Reports.Contracts;

namespace LazyAf.Modules.Reports.Data;

/// <summary>A quarantined test of a repo.</summary>
internal sealed record QuarantineRow
{
    public string Name { get; init; } = "";
    public string? Reason { get; init; }
    public string QuarantinedBy { get; init; } = "";
    public DateTimeOffset QuarantinedAt { get; init; }
}

/// <summary>One quarantine or release, for the audit.</summary>
internal sealed record QuarantineAuditRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Action { get; init; } = "";
    public string? Reason { get; init; }
    public string Actor { get; init; } = "";
    public DateTimeOffset At { get; init; }
}

/// <summary>The <c>reports_quarantine</c> table and its audit (<c>reports_quarantine_audit</c>); every change is audited and published.</summary>
internal sealed class QuarantineStore(IDatabase database, IEventOutbox outbox)
{
    private const string Columns = "name AS Name, reason AS Reason, quarantined_by AS QuarantinedBy, quarantined_at AS QuarantinedAt";
    private const string SelectNames = "SELECT name FROM reports_quarantine WHERE repo_id = @RepoId";
    private const string SelectAll = $"SELECT {Columns} FROM reports_quarantine WHERE repo_id = @RepoId ORDER BY name";
    private const string SelectOne = $"SELECT {Columns} FROM reports_quarantine WHERE repo_id = @RepoId AND name = @Name";

    private const string Upsert = """
        INSERT INTO reports_quarantine (repo_id, name, reason, quarantined_by, quarantined_at) VALUES (@RepoId, @Name, @Reason, @Actor, @At)
        ON CONFLICT (repo_id, name) DO UPDATE SET reason = excluded.reason, quarantined_by = excluded.quarantined_by, quarantined_at = excluded.quarantined_at
        """;

    private const string Delete = "DELETE FROM reports_quarantine WHERE repo_id = @RepoId AND name = @Name";

    private const string InsertAudit = "INSERT INTO reports_quarantine_audit (repo_id, name, action, reason, actor, at) VALUES (@RepoId, @Name, @Action, @Reason, @Actor, @At)";

    private const string SelectAudit = """
        SELECT id AS Id, name AS Name, action AS Action, reason AS Reason, actor AS Actor, at AS At
        FROM reports_quarantine_audit WHERE repo_id = @RepoId ORDER BY id DESC LIMIT @Limit
        """;

    public async Task<IReadOnlySet<string>> NamesAsync(string repoId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(SelectNames, new { RepoId = repoId }, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<QuarantineRow>> ListAsync(string repoId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<QuarantineRow>(new CommandDefinition(SelectAll, new { RepoId = repoId }, cancellationToken: ct))];
    }

    /// <summary>Quarantines a test (again: with the new reason and actor); returns the entry.</summary>
    public async Task<QuarantineRow> QuarantineAsync(string repoId, string name, string? reason, string actor, DateTimeOffset at, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        var args = new { RepoId = repoId, Name = name, Reason = reason, Actor = actor, At = at, Action = "quarantined" };
        await tx.Connection.ExecuteAsync(new CommandDefinition(Upsert, args, tx.Transaction, cancellationToken: ct));
        await tx.Connection.ExecuteAsync(new CommandDefinition(InsertAudit, args, tx.Transaction, cancellationToken: ct));
        await outbox.EnqueueAsync(tx, new TestQuarantineChanged(repoId, name, true, actor), ct);
        var row = await tx.Connection.QuerySingleAsync<QuarantineRow>(new CommandDefinition(SelectOne, args, tx.Transaction, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return row;
    }

    /// <summary>Releases a quarantined test; false when it was not quarantined.</summary>
    public async Task<bool> ReleaseAsync(string repoId, string name, string actor, DateTimeOffset at, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        var args = new { RepoId = repoId, Name = name, Reason = (string?)null, Actor = actor, At = at, Action = "released" };
        if (await tx.Connection.ExecuteAsync(new CommandDefinition(Delete, args, tx.Transaction, cancellationToken: ct)) == 0)
            return false;
        await tx.Connection.ExecuteAsync(new CommandDefinition(InsertAudit, args, tx.Transaction, cancellationToken: ct));
        await outbox.EnqueueAsync(tx, new TestQuarantineChanged(repoId, name, false, actor), ct);
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<IReadOnlyList<QuarantineAuditRow>> AuditAsync(string repoId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<QuarantineAuditRow>(new CommandDefinition(SelectAudit, new { RepoId = repoId, Limit = limit }, cancellationToken: ct))];
    }
}
