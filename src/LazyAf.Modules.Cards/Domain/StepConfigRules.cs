using System.Text.Json;

namespace LazyAf.Modules.Cards.Domain;

/// <summary>
/// What a card's step may be configured with, per step type. Unknown keys are refused rather than
/// ignored, so a typo (<c>comand</c>) is an error the user sees, not a setting silently dropped.
/// </summary>
internal static class StepConfigRules
{
    public static readonly IReadOnlyList<string> StepTypes = ["agent", "script", "docker"];
    public static readonly IReadOnlyList<string> AgentKinds = ["claude-code", "gemini", "codex", "command"];

    private enum Kind { Text, Number, Object, TextList, Bool }

    private static readonly Dictionary<string, Kind> Common = new()
    {
        ["env"] = Kind.Object,
        ["working_dir"] = Kind.Text,
        ["timeout_seconds"] = Kind.Number,
    };

    private static readonly Dictionary<string, Dictionary<string, Kind>> Keys = new()
    {
        ["script"] = new(Common) { ["command"] = Kind.Text },
        ["docker"] = new(Common) { ["image"] = Kind.Text, ["command"] = Kind.Text, ["memory"] = Kind.Text, ["cpus"] = Kind.Number },
        ["agent"] = new(Common)
        {
            ["agent"] = Kind.Text, ["model"] = Kind.Text, ["prompt_template"] = Kind.Text, ["agent_files"] = Kind.TextList,
            ["command"] = Kind.Text, ["max_turns"] = Kind.Number, ["max_cost_usd"] = Kind.Number, ["approval"] = Kind.Bool,
            ["keep_partial_work"] = Kind.Bool,
        },
    };

    private static readonly Dictionary<string, string[]> Required = new()
    {
        ["script"] = ["command"],
        ["docker"] = ["image", "command"],
        ["agent"] = ["agent"],
    };

    /// <summary>Field errors (<c>step_config.command</c>, …) of a step; empty when it is valid.</summary>
    public static Dictionary<string, string[]> Check(string? stepType, JsonElement config)
    {
        var errors = new Dictionary<string, string[]>();
        if (stepType is null || !Keys.TryGetValue(stepType, out var allowed))
        {
            errors["step_type"] = [$"step_type must be one of {string.Join(", ", StepTypes)}."];
            return errors;
        }
        if (config.ValueKind != JsonValueKind.Object)
        {
            errors["step_config"] = [$"step_config must be an object with {string.Join(" and ", Required[stepType])} for a {stepType} step."];
            return errors;
        }

        foreach (var property in config.EnumerateObject())
        {
            var field = "step_config." + property.Name;
            if (!allowed.TryGetValue(property.Name, out var kind))
                errors[field] = [$"{field} is not a setting of a {stepType} step (allowed: {string.Join(", ", allowed.Keys.Order())})."];
            else if (!Fits(property.Value, kind))
                errors[field] = [$"{field} must be {Describe(kind)}."];
        }
        foreach (var key in Required[stepType])
        {
            if (!config.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString()))
                errors["step_config." + key] = [$"step_config.{key} is required for a {stepType} step."];
        }
        if (stepType == "agent" && config.TryGetProperty("agent", out var agent) && agent.ValueKind == JsonValueKind.String)
        {
            if (!AgentKinds.Contains(agent.GetString()))
                errors["step_config.agent"] = [$"step_config.agent must be one of {string.Join(", ", AgentKinds)}."];
            else if (agent.GetString() == "command" && !config.TryGetProperty("command", out _))
                errors["step_config.command"] = ["step_config.command is required when step_config.agent is 'command'."];
        }
        return errors;
    }

    private static bool Fits(JsonElement value, Kind kind) => kind switch
    {
        Kind.Text => value.ValueKind == JsonValueKind.String,
        Kind.Number => value.ValueKind == JsonValueKind.Number && value.GetDouble() >= 0,
        Kind.Object => value.ValueKind == JsonValueKind.Object && value.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String),
        Kind.TextList => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String),
        Kind.Bool => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        _ => false,
    };

    private static string Describe(Kind kind) => kind switch
    {
        Kind.Text => "a string",
        Kind.Number => "a non-negative number",
        Kind.Object => "an object of string values",
        Kind.Bool => "true or false",
        _ => "a list of strings",
    };
}
