using System.Text.Json;
using Dapper;
using LazyAf.Kernel.Db;

namespace LazyAf.Kernel.Events;

/// <summary>Publishes integration events by writing them into the caller's transaction.</summary>
public interface IEventOutbox
{
    /// <summary>
    /// Stores <paramref name="event"/> in <paramref name="tx"/>; it is dispatched after the
    /// transaction commits and never if it rolls back.
    /// </summary>
    Task EnqueueAsync<TEvent>(WriteTransaction tx, TEvent @event, CancellationToken ct) where TEvent : IIntegrationEvent;
}

internal sealed class EventOutbox(TimeProvider clock) : IEventOutbox
{
    private const string Insert = """
        INSERT INTO kernel_outbox (event_type, payload, topics, occurred_at, next_attempt_at)
        VALUES (@Type, @Payload, @Topics, @Now, @Now)
        """;

    public async Task EnqueueAsync<TEvent>(WriteTransaction tx, TEvent @event, CancellationToken ct) where TEvent : IIntegrationEvent
    {
        var args = new
        {
            Type = EventTypes.NameOf(typeof(TEvent)),
            Payload = JsonSerializer.Serialize(@event, LazyAfJson.Options),
            Topics = string.Join(' ', @event.Topics()),
            Now = clock.GetUtcNow(),
        };
        await tx.Connection.ExecuteAsync(new CommandDefinition(Insert, args, tx.Transaction, cancellationToken: ct));
        tx.HasEvents = true;
    }
}
