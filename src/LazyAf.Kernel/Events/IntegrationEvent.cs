namespace LazyAf.Kernel.Events;

/// <summary>
/// An event one module publishes for others; durable, delivered at least once to handlers, and
/// streamed live on <c>/ws</c> to clients subscribed to one of its topics.
/// </summary>
public interface IIntegrationEvent
{
    /// <summary>What the event is about, as <c>kind:id</c> (<c>repo:…</c>, <c>card:…</c>, <c>run:…</c>); live clients subscribe to these.</summary>
    /// <remarks>A method, not a property, so it is not serialized into the payload.</remarks>
    IReadOnlyList<string> Topics();
}

/// <summary>The stable name an event is stored under; renaming the CLR type must not orphan stored events.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class IntegrationEventAttribute(string name) : Attribute
{
    /// <summary>The stored name and live <c>type</c>, e.g. <c>push.received</c>.</summary>
    public string Name { get; } = name;
}

/// <summary>
/// Handles one event type. Delivery is at least once: a crash after the handler's work but
/// before its delivery is recorded runs it again, so handlers must be idempotent.
/// </summary>
public interface IIntegrationEventHandler<in TEvent> where TEvent : IIntegrationEvent
{
    /// <summary>Does the handler's work for <paramref name="event"/>.</summary>
    Task HandleAsync(TEvent @event, EventContext context, CancellationToken ct);
}

/// <summary>Where a delivered event came from.</summary>
/// <param name="EventId">The outbox id, increasing with publication order.</param>
/// <param name="OccurredAt">When the causing change committed.</param>
/// <param name="Attempt">1 on first delivery, higher on retries.</param>
public sealed record EventContext(long EventId, DateTimeOffset OccurredAt, int Attempt);
