using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LazyAf.Modules.Pipelines.Definitions;

/// <summary>
/// A step's <c>config</c>: the keys a card's <c>step_config</c> takes for the step's type, turned into the JSON the
/// execution gets. Mirrors the Cards module's rules (which are internal to it); unknown keys are errors, not dropped.
/// </summary>
internal static class StepConfigReader
{
    public static readonly IReadOnlyList<string> StepTypes = ["script", "docker", "agent"];

    private static readonly string[] Common = ["env", "working_dir", "timeout_seconds"];

    private static readonly Dictionary<string, string[]> Keys = new()
    {
        ["script"] = [.. Common, "command"],
        ["docker"] = [.. Common, "image", "command", "memory", "cpus"],
        ["agent"] = [.. Common, "agent", "model", "prompt_template", "agent_files", "command", "max_turns", "max_cost_usd", "approval"],
    };

    private static readonly Dictionary<string, string[]> Required = new()
    {
        ["script"] = ["command"],
        ["docker"] = ["image", "command"],
        ["agent"] = ["agent"],
    };

    /// <summary>The config as a JSON object; errors go to <paramref name="fields"/>.</summary>
    public static JsonObject Read(YamlFields fields, YamlNode? node, YamlNode stepNode, string type, string what)
    {
        var config = new JsonObject();
        if (node is null || YamlFields.IsNull(node))
        {
            fields.Error(stepNode, $"{what}.config is required: {string.Join(" and ", Required[type])} for a {type} step");
            return config;
        }
        var entries = fields.Mapping(node, what + ".config", Keys[type]);
        foreach (var (key, value) in entries.Where(e => e.Key != "env"))
            config[key] = ToJson(value);
        // Environment values are strings to a process, whatever they look like in YAML (PORT: 8080).
        config["env"] = new JsonObject(fields.TextMap(entries, "env", what + ".config").Select(e => KeyValuePair.Create(e.Key, (JsonNode?)JsonValue.Create(e.Value))));
        foreach (var key in Required[type].Where(k => !entries.ContainsKey(k)))
            fields.Error(node, $"{what}.config.{key} is required for a {type} step");
        return config;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children
            .Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode { Style: not ScalarStyle.Plain } quoted => JsonValue.Create(quoted.Value),
        YamlScalarNode plain when YamlFields.IsNull(plain) => null,
        YamlScalarNode { Value: "true" or "false" } flag => JsonValue.Create(flag.Value == "true"),
        YamlScalarNode plain when double.TryParse(plain.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        YamlScalarNode plain => JsonValue.Create(plain.Value),
        _ => null,
    };
}
