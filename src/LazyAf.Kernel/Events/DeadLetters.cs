using Dapper;
using LazyAf.Kernel.Db;

namespace LazyAf.Kernel.Events;

/// <summary>
/// The events the dispatcher gave up on (<c>dead_at</c> set, not dispatched), with which handlers failed and why.
/// Retrying puts one back in the queue with fresh attempts (only the handlers that have not yet succeeded run);
/// discarding marks it dispatched, so it is never delivered and the live log trims it like any other.
/// </summary>
internal sealed class DeadLetters(IDatabase database, CommitSignal signal, TimeProvider clock)
{
    private const string SelectDead = """
        SELECT id AS Id, event_type AS EventType, payload AS Payload, topics AS Topics, occurred_at AS OccurredAt,
               dead_at AS DeadAt, attempts AS Attempts, last_error AS Reason
        FROM kernel_outbox
        WHERE dead_at IS NOT NULL AND dispatched_at IS NULL AND (@Id IS NULL OR id = @Id)
        ORDER BY id
        LIMIT @Limit
        """;

    private const string SelectFailures = """
        SELECT event_id AS EventId, handler AS Handler, attempts AS Attempts, last_error AS Error, failed_at AS FailedAt
        FROM kernel_outbox_failures WHERE event_id IN (SELECT value FROM json_each(@Ids)) ORDER BY handler
        """;

    private const string SelectDelivered = "SELECT event_id AS EventId, handler AS Handler FROM kernel_outbox_deliveries WHERE event_id IN (SELECT value FROM json_each(@Ids)) ORDER BY handler";

    private const string Revive = """
        UPDATE kernel_outbox SET dead_at = NULL, attempts = 0, next_attempt_at = @Now
        WHERE id = @Id AND dead_at IS NOT NULL AND dispatched_at IS NULL
        """;

    private const string Discard = "UPDATE kernel_outbox SET dispatched_at = @Now WHERE id = @Id AND dead_at IS NOT NULL AND dispatched_at IS NULL";

    public sealed record Row(long Id, string EventType, string Payload, string Topics, DateTimeOffset OccurredAt, DateTimeOffset DeadAt, long Attempts, string? Reason);

    public sealed record Failure(long EventId, string Handler, long Attempts, string Error, DateTimeOffset FailedAt);

    public sealed record Delivery(long EventId, string Handler);

    public sealed record DeadLetter(Row Row, IReadOnlyList<Failure> Failures, IReadOnlyList<string> DeliveredTo);

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(long? id, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(SelectDead, new { Id = id, Limit = limit }, cancellationToken: ct))).AsList();
        if (rows.Count == 0)
            return [];
        var ids = rows.Select(r => r.Id).ToArray();
        var failures = (await connection.QueryAsync<Failure>(new CommandDefinition(SelectFailures, new { Ids = SqlList.Of(ids) }, cancellationToken: ct))).ToLookup(f => f.EventId);
        var delivered = (await connection.QueryAsync<Delivery>(new CommandDefinition(SelectDelivered, new { Ids = SqlList.Of(ids) }, cancellationToken: ct))).ToLookup(d => d.EventId);
        return rows.Select(r => new DeadLetter(r, failures[r.Id].ToList(), delivered[r.Id].Select(d => d.Handler).ToList())).ToList();
    }

    /// <summary>Queues a dead letter again; false when there is no dead letter <paramref name="id"/>.</summary>
    public async Task<bool> RetryAsync(long id, CancellationToken ct)
    {
        bool revived;
        await using (var connection = await database.OpenAsync(ct))
            revived = await connection.ExecuteAsync(new CommandDefinition(Revive, new { Id = id, Now = clock.GetUtcNow() }, cancellationToken: ct)) > 0;
        if (revived)
            signal.Notify();
        return revived;
    }

    /// <summary>Gives a dead letter up for good; false when there is no dead letter <paramref name="id"/>.</summary>
    public async Task<bool> DiscardAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(Discard, new { Id = id, Now = clock.GetUtcNow() }, cancellationToken: ct)) > 0;
    }
}
