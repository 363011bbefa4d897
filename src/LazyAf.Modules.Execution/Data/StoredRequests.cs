using System.Text.Json;
using System.Text.Json.Nodes;
using LazyAf.Kernel;
using LazyAf.Modules.Execution.Contracts;

namespace LazyAf.Modules.Execution.Data;

/// <summary>
/// <see cref="ExecutionRequested"/> as it is stored: an execution's <c>request</c> column and <c>execution.requested</c>
/// outbox payloads. Requests stored before steps were typed carry the step as <c>step_type</c> beside a JSON string
/// <c>step_config</c>; <see cref="Upgrade"/> reads those into the typed step, so what an older LazyAF left pending or
/// running still runs after an upgrade, without rewriting stored rows.
/// </summary>
internal static class StoredRequests
{
    // Keys an older configuration may hold as any non-negative number, which the typed step holds as a whole number.
    private static readonly string[] WholeNumbers = ["timeout_seconds", "max_turns"];

    public static ExecutionRequested Read(string json) =>
        Upgrade(JsonNode.Parse(json)!.AsObject()).Deserialize<ExecutionRequested>(LazyAfJson.Options)!;

    public static JsonObject Upgrade(JsonObject stored)
    {
        if (stored.ContainsKey("step") || stored["step_type"]?.GetValue<string>() is not { } type)
            return stored;
        var config = JsonNode.Parse(stored["step_config"]?.GetValue<string>() ?? "{}") as JsonObject ?? [];
        var step = new JsonObject { ["type"] = type };
        foreach (var (key, value) in config)
            step[key] = WholeNumbers.Contains(key) ? WholeNumber(value) : value?.DeepClone();
        stored.Remove("step_type");
        stored.Remove("step_config");
        stored["step"] = step;
        return stored;
    }

    // Zero meant "the requester's default" to the runner that read these, as a missing key does now.
    private static JsonValue? WholeNumber(JsonNode? value) =>
        value is JsonValue number && number.TryGetValue(out double amount) && amount >= 1
            ? JsonValue.Create((int)Math.Min(Math.Ceiling(amount), int.MaxValue))
            : null;
}
