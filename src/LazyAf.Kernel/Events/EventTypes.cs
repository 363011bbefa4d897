using System.Reflection;

namespace LazyAf.Kernel.Events;

/// <summary>The event types this host knows, by stored name, and the handlers registered for each.</summary>
internal sealed class EventTypes
{
    private readonly Dictionary<string, Type> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, List<Type>> _handlers = [];

    public static string NameOf(Type eventType) =>
        eventType.GetCustomAttribute<IntegrationEventAttribute>()?.Name
        ?? throw new InvalidOperationException($"{eventType.Name} needs an [IntegrationEvent(\"module.name\")] attribute.");

    public void AddHandler(Type eventType, Type handlerType)
    {
        _byName[NameOf(eventType)] = eventType;
        if (!_handlers.TryGetValue(eventType, out var handlers))
            _handlers[eventType] = handlers = [];
        if (!handlers.Contains(handlerType))
            handlers.Add(handlerType);
    }

    public Type? Find(string name) => _byName.GetValueOrDefault(name);

    public IReadOnlyList<Type> HandlersOf(Type eventType) =>
        _handlers.TryGetValue(eventType, out var handlers) ? handlers : [];
}
