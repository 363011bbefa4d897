using System.Collections.Concurrent;
using System.Reflection;
using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LazyAf.Kernel.Events;

/// <summary>
/// Delivers committed outbox events to their handlers in publication order, at least once. Each event and each handler
/// stands alone: a payload that cannot be read, or a handler that fails, holds up neither later events nor the other
/// handlers of the same event. Failed handlers are retried with backoff (the ones that succeeded are not run again)
/// for <see cref="OutboxOptions.MaxAttempts"/> passes; then the event is a dead letter with its reason, kept for an
/// admin to retry or discard (<see cref="DeadLetters"/>).
/// </summary>
internal sealed class OutboxDispatcher(
    IDatabase database,
    EventTypes types,
    CommitSignal signal,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<OutboxOptions> options,
    DataDirectorySpace space,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int MaxErrorLength = 2000;
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(500);
    private static readonly MethodInfo InvokeMethod =
        typeof(OutboxDispatcher).GetMethod(nameof(InvokeAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly ConcurrentDictionary<Type, MethodInfo> Invokers = new();

    private readonly OutboxOptions _options = options.Value;

    private const string SelectDue = """
        SELECT id AS Id, event_type AS EventType, payload AS Payload, occurred_at AS OccurredAt, attempts AS Attempts
        FROM kernel_outbox
        WHERE dispatched_at IS NULL AND dead_at IS NULL AND next_attempt_at <= @Now
        ORDER BY id
        LIMIT 100
        """;

    private const string SelectDelivered = "SELECT handler FROM kernel_outbox_deliveries WHERE event_id = @Id";
    private const string RecordDelivery = """
        INSERT OR IGNORE INTO kernel_outbox_deliveries (event_id, handler, delivered_at) VALUES (@Id, @Handler, @Now);
        DELETE FROM kernel_outbox_failures WHERE event_id = @Id AND handler = @Handler;
        """;
    private const string RecordFailure = """
        INSERT INTO kernel_outbox_failures (event_id, handler, attempts, last_error, failed_at) VALUES (@Id, @Handler, 1, @Error, @Now)
        ON CONFLICT (event_id, handler) DO UPDATE SET attempts = attempts + 1, last_error = excluded.last_error, failed_at = excluded.failed_at
        """;
    private const string MarkDispatched = "UPDATE kernel_outbox SET dispatched_at = @Now, attempts = attempts + 1, last_error = NULL WHERE id = @Id";
    private const string MarkFailed = "UPDATE kernel_outbox SET attempts = attempts + 1, next_attempt_at = @Next, last_error = @Error WHERE id = @Id";
    private const string MarkDead = "UPDATE kernel_outbox SET attempts = attempts + 1, dead_at = @Now, last_error = @Error WHERE id = @Id";

    private sealed record OutboxRow(long Id, string EventType, string Payload, DateTimeOffset OccurredAt, long Attempts);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failedPasses = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var next = signal.Next;
                var looked = await DispatchDueAsync(stoppingToken);
                failedPasses = 0;
                if (looked == 0)
                    await CommitSignal.WaitAsync(next, IdlePoll, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database itself failing (a full disk, a locked file): wait longer each time, not a hot loop of errors.
                if (DataDirectorySpace.IsDiskFull(ex))
                    space.ReportFull(ex);
                failedPasses++;
                var wait = TimeSpan.FromTicks(Math.Min(IdlePoll.Ticks << Math.Min(failedPasses - 1, 6), _options.MaxRetryDelay.Ticks));
                logger.LogError(ex, "Outbox dispatch pass failed ({FailedPasses} in a row); retrying in {Wait}", failedPasses, wait);
                try
                {
                    // Real time, not the clock: this waits out the machine, not a business delay.
                    await Task.Delay(wait, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Delivers every event that is due now; returns how many were looked at.</summary>
    internal async Task<int> DispatchDueAsync(CancellationToken ct)
    {
        List<OutboxRow> due;
        await using (var connection = await database.OpenAsync(ct))
            due = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(SelectDue, new { Now = clock.GetUtcNow() }, cancellationToken: ct))).AsList();

        foreach (var row in due)
            await DispatchAsync(row, ct);
        return due.Count;
    }

    private async Task DispatchAsync(OutboxRow row, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var eventType = types.Find(row.EventType);
        if (eventType is null)
        {
            // Nobody in this host handles it (e.g. a module was removed): nothing to deliver.
            await connection.ExecuteAsync(new CommandDefinition(MarkDispatched, new { row.Id, Now = clock.GetUtcNow() }, cancellationToken: ct));
            return;
        }

        object @event;
        try
        {
            @event = types.Read(row.Payload, eventType) ?? throw new InvalidDataException("the payload is null");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Retrying cannot make it readable; only a newer host (an upgrade of the type) or a person can.
            await BuryAsync(connection, row, $"the payload cannot be read as {row.EventType}: {ex.Message}", ct);
            return;
        }

        var delivered = (await connection.QueryAsync<string>(new CommandDefinition(SelectDelivered, new { row.Id }, cancellationToken: ct))).ToHashSet();
        var context = new EventContext(row.Id, row.OccurredAt, (int)row.Attempts + 1);
        var failures = new List<string>();
        foreach (var handlerType in types.HandlersOf(eventType))
        {
            var handlerName = handlerType.FullName!;
            if (delivered.Contains(handlerName))
                continue;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var handler = scope.ServiceProvider.GetRequiredService(handlerType);
                var invoke = Invokers.GetOrAdd(eventType, t => InvokeMethod.MakeGenericMethod(t));
                // Unwrapped, so a handler that throws before its first await is reported with its own exception.
                await (Task)invoke.Invoke(null, BindingFlags.DoNotWrapExceptions, null, [handler, @event, context, ct], null)!;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                var error = Cut(ex.Message);
                logger.LogWarning(ex, "Handler {Handler} failed on event {EventId} ({EventType}), attempt {Attempt}", handlerName, row.Id, row.EventType, context.Attempt);
                failures.Add($"{handlerType.Name}: {error}");
                await connection.ExecuteAsync(new CommandDefinition(RecordFailure, new { row.Id, Handler = handlerName, Error = error, Now = clock.GetUtcNow() }, cancellationToken: ct));
                continue;
            }
            await connection.ExecuteAsync(new CommandDefinition(RecordDelivery, new { row.Id, Handler = handlerName, Now = clock.GetUtcNow() }, cancellationToken: ct));
        }

        if (failures.Count == 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(MarkDispatched, new { row.Id, Now = clock.GetUtcNow() }, cancellationToken: ct));
            return;
        }
        var reason = Cut(string.Join("; ", failures));
        if (context.Attempt >= _options.MaxAttempts)
        {
            await BuryAsync(connection, row, $"{failures.Count} handler(s) still failing after {context.Attempt} attempt(s): {reason}", ct);
            return;
        }
        var nextAttempt = clock.GetUtcNow() + _options.Backoff(context.Attempt);
        logger.LogWarning("Event {EventId} ({EventType}) will be retried at {NextAttempt}: {Reason}", row.Id, row.EventType, nextAttempt, reason);
        await connection.ExecuteAsync(new CommandDefinition(MarkFailed, new { row.Id, Next = nextAttempt, Error = reason }, cancellationToken: ct));
    }

    private async Task BuryAsync(Microsoft.Data.Sqlite.SqliteConnection connection, OutboxRow row, string reason, CancellationToken ct)
    {
        reason = Cut(reason);
        await connection.ExecuteAsync(new CommandDefinition(MarkDead, new { row.Id, Now = clock.GetUtcNow(), Error = reason }, cancellationToken: ct));
        logger.LogError("Event {EventId} ({EventType}) is a dead letter: {Reason}. An admin can retry or discard it at /api/admin/dead-letters",
            row.Id, row.EventType, reason);
    }

    private static string Cut(string text) => text.Length <= MaxErrorLength ? text : string.Concat(text.AsSpan(0, MaxErrorLength), "…");

    private static Task InvokeAsync<TEvent>(object handler, object @event, EventContext context, CancellationToken ct)
        where TEvent : IIntegrationEvent =>
        ((IIntegrationEventHandler<TEvent>)handler).HandleAsync((TEvent)@event, context, ct);
}
