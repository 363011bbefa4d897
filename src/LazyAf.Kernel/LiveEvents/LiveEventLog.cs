using Dapper;
using LazyAf.Kernel.Db;

namespace LazyAf.Kernel.LiveEvents;

/// <summary>
/// The outbox read as an ordered log: ids grow in commit order (SQLite has one writer at a time),
/// so "everything after id N" is exactly what a client that saw N has missed.
/// </summary>
internal sealed class LiveEventLog(IDatabase database)
{
    private const string SelectAfter = """
        SELECT id AS Id, event_type AS Type, payload AS Payload, topics AS Topics, occurred_at AS OccurredAt
        FROM kernel_outbox WHERE id > @After ORDER BY id LIMIT @Limit
        """;

    private const string SelectBounds = "SELECT COALESCE(MIN(id), 0) AS Oldest, COALESCE(MAX(id), 0) AS Newest FROM kernel_outbox";

    // Keeps the newest @Window events; only delivered ones go, so no work is ever lost to the trim.
    private const string Trim = """
        DELETE FROM kernel_outbox
        WHERE dispatched_at IS NOT NULL AND id <= (SELECT MAX(id) FROM kernel_outbox) - @Window
        """;

    private sealed record Row(long Id, string Type, string Payload, string Topics, DateTimeOffset OccurredAt);

    public sealed record Bounds(long Oldest, long Newest);

    public async Task<IReadOnlyList<LiveEvent>> ReadAfterAsync(long after, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(SelectAfter, new { After = after, Limit = limit }, cancellationToken: ct));
        return rows.Select(r => LiveEvent.From(r.Id, r.Type, r.Payload, r.Topics, r.OccurredAt)).ToList();
    }

    public async Task<Bounds> BoundsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleAsync<Bounds>(new CommandDefinition(SelectBounds, cancellationToken: ct));
    }

    public async Task<int> TrimAsync(long window, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(Trim, new { Window = window }, cancellationToken: ct));
    }
}
