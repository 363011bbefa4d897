using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LazyAf.Kernel;
using LazyAf.Runner.Artifacts;

namespace LazyAf.Modules.Execution.Contracts;

/// <summary>
/// What a step may be configured with, for a card's <c>step_config</c> and a pipeline step's <c>config</c> alike: one
/// table of keys and one reader that checks a configuration and turns it into the typed <see cref="StepDefinition"/>.
/// Unknown keys are refused rather than ignored, so a typo (<c>comand</c>) is an error the user sees, not a setting
/// silently dropped. The table is what <c>docs/steps.md</c> documents.
/// </summary>
public static partial class StepSchema
{
    /// <summary>The script step type.</summary>
    public const string Script = "script";

    /// <summary>The docker step type.</summary>
    public const string Docker = "docker";

    /// <summary>The agent step type.</summary>
    public const string Agent = "agent";

    /// <summary>The longest <c>timeout_seconds</c> a step may ask for: a week.</summary>
    public const int MaxTimeoutSeconds = 7 * 24 * 3600;

    /// <summary>The most times a step may start again after its runner was lost (<c>runner_retries</c>).</summary>
    public const int MaxRunnerRetries = 10;

    /// <summary>The most labels a step may require.</summary>
    public const int MaxRequires = 64;

    /// <summary>The most paths or globs a step may list in <c>artifacts</c>.</summary>
    public const int MaxArtifactGlobs = 100;

    private const double MaxTurns = 10_000;
    private const double MaxAmount = 1_000_000;

    /// <summary>The step types.</summary>
    public static IReadOnlyList<string> StepTypes { get; } = [Script, Docker, Agent];

    /// <summary>The agents an agent step can name.</summary>
    public static IReadOnlyList<string> AgentKinds { get; } = ["claude-code", "gemini", "codex", "command"];

    private static readonly string[] AllTypes = [Script, Docker, Agent];

    private enum Shape { Text, TextMap, TextList, PathList, NameList, WholeNumber, Amount, Flag, FlagOrPathList }

    private sealed record Rule(string Key, string[] Types, Shape Shape, double Max = 0);

    private static readonly Rule[] Rules =
    [
        new("env", AllTypes, Shape.TextMap),
        new("secrets", AllTypes, Shape.NameList),
        new("working_dir", AllTypes, Shape.Text),
        new("timeout_seconds", AllTypes, Shape.WholeNumber, MaxTimeoutSeconds),
        new("runner_retries", AllTypes, Shape.WholeNumber, MaxRunnerRetries),
        new("artifacts", AllTypes, Shape.PathList),
        new("commit", AllTypes, Shape.FlagOrPathList),
        new("command", AllTypes, Shape.Text),
        new("image", [Docker], Shape.Text),
        new("memory", [Docker], Shape.Text),
        new("cpus", [Docker], Shape.Amount, MaxAmount),
        new("privileged", [Docker], Shape.Flag),
        new("docker_socket", [Docker], Shape.Flag),
        new("agent", [Agent], Shape.Text),
        new("model", [Agent], Shape.Text),
        new("prompt_template", [Agent], Shape.Text),
        new("agent_files", [Agent], Shape.TextList),
        new("max_turns", [Agent], Shape.WholeNumber, MaxTurns),
        new("max_cost_usd", [Agent], Shape.Amount, MaxAmount),
        new("approval", [Agent], Shape.Flag),
        new("keep_partial_work", [Agent], Shape.Flag),
    ];

    private static readonly Dictionary<string, string[]> Required = new()
    {
        [Script] = ["command"],
        [Docker] = ["image", "command"],
        [Agent] = ["agent"],
    };

    /// <summary>Every configuration key with the step types that take it and what its value must be.</summary>
    public static IReadOnlyList<StepKey> Keys { get; } = [.. Rules.Select(r => new StepKey(r.Key, r.Types, Describe(r)))];

    /// <summary>
    /// Checks a step of <paramref name="type"/> with <paramref name="config"/> (a JSON object of the keys in
    /// <see cref="Keys"/>) and the runner labels it <paramref name="requires"/>, and reads it into its typed form.
    /// Errors name the field as <paramref name="names"/> says the caller calls it.
    /// </summary>
    public static StepRead Read(string? type, JsonElement config, IReadOnlyList<string>? requires, StepFieldNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var errors = new List<StepError>();
        CheckRequires(requires ?? [], names, errors);
        if (type is null || !StepTypes.Contains(type))
        {
            errors.Add(new StepError(names.Type, null, $"{names.Type} must be one of {string.Join(", ", StepTypes)}"));
            return new StepRead(null, errors);
        }
        if (config.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new StepError(names.Config, null, $"{names.Config} must be an object with {string.Join(" and ", Required[type])} for {AStep(type)}"));
            return new StepRead(null, errors);
        }

        var step = new JsonObject { ["type"] = type };
        foreach (var property in config.EnumerateObject())
        {
            var field = $"{names.Config}.{property.Name}";
            if (Rules.FirstOrDefault(r => r.Key == property.Name && r.Types.Contains(type)) is not { } rule)
                errors.Add(new StepError(field, property.Name, $"unknown key '{property.Name}' in {names.Config} (allowed: {string.Join(", ", KeysOf(type))})"));
            else if (step.ContainsKey(property.Name))
                errors.Add(new StepError(field, property.Name, $"{field} is given twice"));
            else if (!Fits(property.Value, rule))
                errors.Add(new StepError(field, property.Name, $"{field} must be {Describe(rule)}"));
            else
                step[property.Name] = JsonSerializer.SerializeToNode(property.Value);
        }
        foreach (var key in Required[type].Where(k => !config.TryGetProperty(k, out var value) || IsBlank(value)))
            errors.Add(new StepError($"{names.Config}.{key}", key, $"{names.Config}.{key} is required for {AStep(type)}"));
        if (type == Agent)
            CheckAgent(config, names, errors);
        if (errors.Count > 0)
            return new StepRead(null, errors);

        step["requires"] = new JsonArray([.. (requires ?? []).Select(label => JsonValue.Create(label))]);
        return new StepRead(step.Deserialize<StepDefinition>(LazyAfJson.Options), []);
    }

    /// <summary>The keys a step of <paramref name="type"/> takes.</summary>
    public static IEnumerable<string> KeysOf(string type) => Rules.Where(r => r.Types.Contains(type)).Select(r => r.Key);

    private static void CheckAgent(JsonElement config, StepFieldNames names, List<StepError> errors)
    {
        if (!config.TryGetProperty("agent", out var agent) || agent.ValueKind != JsonValueKind.String || IsBlank(agent))
            return;
        var field = $"{names.Config}.agent";
        if (!AgentKinds.Contains(agent.GetString()))
            errors.Add(new StepError(field, "agent", $"{field} must be one of {string.Join(", ", AgentKinds)}"));
        else if (agent.GetString() == "command" && (!config.TryGetProperty("command", out var command) || IsBlank(command)))
            errors.Add(new StepError($"{names.Config}.command", "command", $"{names.Config}.command is required when {field} is 'command'"));
    }

    private static void CheckRequires(IReadOnlyList<string> requires, StepFieldNames names, List<StepError> errors)
    {
        if (requires.Count > MaxRequires)
            errors.Add(new StepError(names.Requires, null, $"{names.Requires} holds at most {MaxRequires} runner labels"));
        else if (requires.FirstOrDefault(label => !LabelPattern().IsMatch(label ?? "")) is { } bad)
            errors.Add(new StepError(names.Requires, null,
                $"{names.Requires} holds runner labels (lower-case letters, digits, ':', '=', '.', '_', '-', at most 64); '{bad}' is not one"));
    }

    private static bool Fits(JsonElement value, Rule rule) => rule.Shape switch
    {
        Shape.Text => value.ValueKind == JsonValueKind.String,
        Shape.TextMap => value.ValueKind == JsonValueKind.Object && value.EnumerateObject().All(p => p.Name.Length > 0 && p.Value.ValueKind == JsonValueKind.String),
        Shape.TextList => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String),
        Shape.NameList => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String && NamePattern().IsMatch(v.GetString()!)),
        Shape.PathList => IsPathList(value),
        Shape.FlagOrPathList => value.ValueKind is JsonValueKind.True or JsonValueKind.False || IsPathList(value),
        Shape.WholeNumber => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var whole) && whole >= 1 && whole <= rule.Max,
        Shape.Amount => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var amount) && amount > 0 && amount <= rule.Max,
        Shape.Flag => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        _ => false,
    };

    private static string Describe(Rule rule) => rule.Shape switch
    {
        Shape.Text => "a string",
        Shape.TextMap => "an object of string values",
        Shape.TextList => "a list of strings",
        Shape.NameList => "a list of secret names (letters, digits and '_', not starting with a digit)",
        Shape.PathList => $"a list of at most {MaxArtifactGlobs} paths or globs inside the workspace (relative, no '..')",
        Shape.FlagOrPathList => $"true, false or a list of at most {MaxArtifactGlobs} paths or globs inside the repo (relative to its root, no '..')",
        Shape.WholeNumber => $"a whole number from 1 to {rule.Max.ToString(CultureInfo.InvariantCulture)}",
        Shape.Amount => $"a number above 0 and at most {rule.Max.ToString(CultureInfo.InvariantCulture)}",
        _ => "true or false",
    };

    private static bool IsPathList(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array && value.GetArrayLength() <= MaxArtifactGlobs
        && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String && IsWorkspacePath(v.GetString()!));

    private static string AStep(string type) => type == Agent ? "an agent step" : $"a {type} step";

    /// <summary>A path or glob that stays inside the workspace: relative, without <c>..</c> segments or a leading <c>~</c>.</summary>
    public static bool IsWorkspacePath(string path) => ArtifactFiles.IsWorkspacePath(path);

    private static bool IsBlank(JsonElement value) => value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString());

    [GeneratedRegex("^[a-z0-9][a-z0-9:=._-]{0,63}$")]
    private static partial Regex LabelPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex NamePattern();
}

/// <summary>One configuration key of a step.</summary>
/// <param name="Name">The key, e.g. <c>timeout_seconds</c>.</param>
/// <param name="StepTypes">The step types that take it.</param>
/// <param name="Value">What its value must be, e.g. "a string".</param>
public sealed record StepKey(string Name, IReadOnlyList<string> StepTypes, string Value);

/// <summary>What a caller calls a step's type, configuration and required labels, for the fields its errors name.</summary>
/// <param name="Type">e.g. <c>step_type</c> (a card) or <c>step build.type</c> (a pipeline step).</param>
/// <param name="Config">e.g. <c>step_config</c> or <c>step build.config</c>.</param>
/// <param name="Requires">e.g. <c>requires</c> or <c>step build.requires</c>.</param>
public sealed record StepFieldNames(string Type, string Config, string Requires);

/// <summary>A problem with a step.</summary>
/// <param name="Field">The field it is about, as the caller names it (<c>step_config.command</c>).</param>
/// <param name="Key">The configuration key it is about; null when it is about the type, the whole configuration or the labels.</param>
/// <param name="Message">What is wrong, naming the field.</param>
public sealed record StepError(string Field, string? Key, string Message);

/// <summary>A step read by <see cref="StepSchema.Read"/>: the typed step when it is valid, else its errors.</summary>
/// <param name="Step">The step; null when there are errors.</param>
/// <param name="Errors">Every problem found.</param>
public sealed record StepRead(StepDefinition? Step, IReadOnlyList<StepError> Errors)
{
    /// <summary>The errors as field → messages, as problem details list them.</summary>
    public Dictionary<string, string[]> ByField() =>
        Errors.GroupBy(e => e.Field, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal);
}
