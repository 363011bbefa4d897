using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LazyAf.Kernel.Events;

/// <summary>The event types this host knows, by stored name, and the handlers registered for each.</summary>
internal sealed class EventTypes
{
    private readonly Dictionary<string, Type> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, List<Type>> _handlers = [];
    private readonly Dictionary<Type, Func<JsonObject, JsonObject>> _upgrades = [];

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

    public void AddUpgrade(Type eventType, Func<JsonObject, JsonObject> upgrade) => _upgrades[eventType] = upgrade;

    public Type? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// A stored payload as the event it is now, through the type's upgrade when it has one (payloads stored in an older
    /// shape); null when the payload is JSON <c>null</c>. Throws when the payload is not the event.
    /// </summary>
    public object? Read(string payload, Type eventType) =>
        _upgrades.TryGetValue(eventType, out var upgrade) && JsonNode.Parse(payload) is JsonObject stored
            ? upgrade(stored).Deserialize(eventType, LazyAfJson.Options)
            : JsonSerializer.Deserialize(payload, eventType, LazyAfJson.Options);

    public IReadOnlyList<Type> HandlersOf(Type eventType) =>
        _handlers.TryGetValue(eventType, out var handlers) ? handlers : [];
}
