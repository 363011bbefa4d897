using System.Collections.Concurrent;
using System.Reflection;
using Dapper;
using LazyAf.Kernel.Db;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LazyAf.Kernel.Events;

/// <summary>
/// Delivers committed outbox events to their handlers in publication order, at least once.
/// A handler that fails is retried with backoff without holding up other events; handlers that
/// already succeeded for an event are not run again.
/// </summary>
internal sealed class OutboxDispatcher(
    IDatabase database,
    EventTypes types,
    CommitSignal signal,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private static readonly MethodInfo InvokeMethod =
        typeof(OutboxDispatcher).GetMethod(nameof(InvokeAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly ConcurrentDictionary<Type, MethodInfo> Invokers = new();

    private const string SelectDue = """
        SELECT id AS Id, event_type AS EventType, payload AS Payload, occurred_at AS OccurredAt, attempts AS Attempts
        FROM kernel_outbox
        WHERE dispatched_at IS NULL AND next_attempt_at <= @Now
        ORDER BY id
        LIMIT 100
        """;

    private const string SelectDelivered = "SELECT handler FROM kernel_outbox_deliveries WHERE event_id = @Id";
    private const string RecordDelivery = "INSERT OR IGNORE INTO kernel_outbox_deliveries (event_id, handler, delivered_at) VALUES (@Id, @Handler, @Now)";
    private const string MarkDispatched = "UPDATE kernel_outbox SET dispatched_at = @Now, attempts = attempts + 1, last_error = NULL WHERE id = @Id";
    private const string MarkFailed = "UPDATE kernel_outbox SET attempts = attempts + 1, next_attempt_at = @Next, last_error = @Error WHERE id = @Id";

    private sealed record OutboxRow(long Id, string EventType, string Payload, DateTimeOffset OccurredAt, long Attempts);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var next = signal.Next;
                if (await DispatchDueAsync(stoppingToken) == 0)
                    await CommitSignal.WaitAsync(next, IdlePoll, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Outbox dispatch pass failed; retrying");
                await Task.Delay(IdlePoll, stoppingToken);
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

        var delivered = (await connection.QueryAsync<string>(new CommandDefinition(SelectDelivered, new { row.Id }, cancellationToken: ct))).ToHashSet();
        var @event = types.Read(row.Payload, eventType);
        var context = new EventContext(row.Id, row.OccurredAt, (int)row.Attempts + 1);

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
                await (Task)invoke.Invoke(null, [handler, @event, context, ct])!;
                await connection.ExecuteAsync(new CommandDefinition(RecordDelivery, new { row.Id, Handler = handlerName, Now = clock.GetUtcNow() }, cancellationToken: ct));
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                var next = clock.GetUtcNow() + Backoff(row.Attempts + 1);
                logger.LogWarning(ex, "Handler {Handler} failed on event {EventId} ({EventType}); retry at {NextAttempt}", handlerName, row.Id, row.EventType, next);
                await connection.ExecuteAsync(new CommandDefinition(MarkFailed, new { row.Id, Next = next, Error = ex.Message }, cancellationToken: ct));
                return;
            }
        }

        await connection.ExecuteAsync(new CommandDefinition(MarkDispatched, new { row.Id, Now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    internal static TimeSpan Backoff(long attempts) =>
        TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Min(attempts, 20)), MaxBackoff.TotalSeconds));

    private static Task InvokeAsync<TEvent>(object handler, object @event, EventContext context, CancellationToken ct)
        where TEvent : IIntegrationEvent =>
        ((IIntegrationEventHandler<TEvent>)handler).HandleAsync((TEvent)@event, context, ct);
}
