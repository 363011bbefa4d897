using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LazyAf.Modules.Execution.Contracts;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>
/// A step's <c>type</c>, <c>config</c> and <c>requires</c>: the YAML turned into JSON and read by Execution's
/// <see cref="StepSchema"/>, the same reader a card's <c>step_config</c> goes through, so both take exactly the same
/// keys. Its errors are put where the YAML says what they are about.
/// </summary>
internal static class StepConfigReader
{
    /// <summary>The typed step and its config as JSON; null when it has errors, which go to <paramref name="fields"/>.</summary>
    public static (StepDefinition? Step, JsonObject Config) Read(
        YamlFields fields, YamlNode stepNode, string type, YamlNode? typeNode, YamlNode? configNode, IReadOnlyList<(string Value, YamlNode Node)> requires,
        YamlNode? requiresNode, string what)
    {
        var config = configNode is null || YamlFields.IsNull(configNode) ? [] : ToJson(fields, configNode, what);
        var names = new StepFieldNames($"{what}.type", $"{what}.config", $"{what}.requires");
        var read = StepSchema.Read(type, JsonSerializer.SerializeToElement(config), [.. requires.Select(r => r.Value)], names);
        foreach (var error in read.Errors)
            fields.Error(Where(error, names, stepNode, typeNode, configNode, requiresNode), error.Message);
        return (read.Step, config);
    }

    private static YamlNode Where(StepError error, StepFieldNames names, YamlNode step, YamlNode? type, YamlNode? config, YamlNode? requires)
    {
        if (error.Field == names.Type)
            return type ?? step;
        if (error.Field == names.Requires)
            return requires ?? step;
        if (error.Key is { } key && config is YamlMappingNode mapping
            && mapping.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(k => k.Value == key) is { } keyNode)
            return keyNode;
        return config is null || YamlFields.IsNull(config) ? step : config;
    }

    /// <summary>The config mapping as a JSON object; keys that are not names are errors here, everything else is the schema's to judge.</summary>
    private static JsonObject ToJson(YamlFields fields, YamlNode node, string what)
    {
        var config = new JsonObject();
        if (node is not YamlMappingNode mapping)
        {
            fields.Error(node, $"{what}.config must be a mapping");
            return config;
        }
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
                fields.Error(key, $"{what}.config has a key that is not a name");
            // An empty value (model: ~) leaves the key unset; environment values are strings to a process, whatever
            // they look like in YAML (PORT: 8080).
            else if (!YamlFields.IsNull(value))
                config[name] = name == "env" ? Env(value) : ToJson(value);
        }
        return config;
    }

    private static JsonNode? Env(YamlNode node) => node is YamlMappingNode mapping
        ? new JsonObject(mapping.Children.Select(c => KeyValuePair.Create(
            (c.Key as YamlScalarNode)?.Value ?? "",
            c.Value is YamlScalarNode { Value: { } text } ? JsonValue.Create(text) : ToJson(c.Value))))
        : ToJson(node);

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
