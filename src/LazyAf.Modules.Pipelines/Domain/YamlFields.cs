using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>Typed reads of YAML nodes that collect an error, with its line and column, for every node of the wrong shape.</summary>
internal sealed class YamlFields
{
    private readonly List<DefinitionError> _errors = [];

    public IReadOnlyList<DefinitionError> Errors => _errors;

    public void Error(Mark at, string message) => _errors.Add(new DefinitionError((int)at.Line, (int)at.Column, message));

    public void Error(YamlNode at, string message) => Error(at.Start, message);

    /// <summary>The mapping's entries by key; unknown and non-scalar keys are errors.</summary>
    public Dictionary<string, YamlNode> Mapping(YamlNode node, string what, IReadOnlyCollection<string> allowed)
    {
        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        if (node is not YamlMappingNode mapping)
        {
            Error(node, $"{what} must be a mapping with {string.Join(", ", allowed)}");
            return fields;
        }
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
                Error(key, $"{what} has a key that is not a name");
            else if (!allowed.Contains(name))
                Error(key, $"unknown key '{name}' in {what} (allowed: {string.Join(", ", allowed)})");
            else
                fields[name] = value;
        }
        return fields;
    }

    public string? Text(Dictionary<string, YamlNode> fields, string key, string what)
    {
        if (!fields.TryGetValue(key, out var node))
            return null;
        if (node is YamlScalarNode { Value: { } value } && !IsNull(node))
            return value;
        Error(node, $"{what}.{key} must be a string");
        return null;
    }

    public int? Integer(Dictionary<string, YamlNode> fields, string key, string what, int min)
    {
        if (Text(fields, key, what) is not { } text)
            return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min)
            return value;
        Error(fields[key], $"{what}.{key} must be a whole number of at least {min}");
        return null;
    }

    public bool? Boolean(Dictionary<string, YamlNode> fields, string key, string what)
    {
        if (Text(fields, key, what) is not { } text)
            return null;
        if (text is "true" or "false")
            return text == "true";
        Error(fields[key], $"{what}.{key} must be true or false");
        return null;
    }

    /// <summary>A list of strings; null when the key is absent.</summary>
    public IReadOnlyList<(string Value, YamlNode Node)>? TextList(Dictionary<string, YamlNode> fields, string key, string what)
    {
        if (!fields.TryGetValue(key, out var node))
            return null;
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, $"{what}.{key} must be a list of strings");
            return [];
        }
        var items = new List<(string, YamlNode)>();
        foreach (var item in sequence.Children)
        {
            if (item is YamlScalarNode { Value: { Length: > 0 } value })
                items.Add((value, item));
            else
                Error(item, $"{what}.{key} must hold only strings");
        }
        return items;
    }

    /// <summary>A mapping of names to strings (<c>env</c>).</summary>
    public Dictionary<string, string> TextMap(Dictionary<string, YamlNode> fields, string key, string what)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!fields.TryGetValue(key, out var node) || IsNull(node))
            return map;
        if (node is not YamlMappingNode mapping)
        {
            Error(node, $"{what}.{key} must be a mapping of names to strings");
            return map;
        }
        foreach (var (name, value) in mapping.Children)
        {
            if (name is YamlScalarNode { Value: { Length: > 0 } n } && value is YamlScalarNode { Value: { } v })
                map[n] = v;
            else
                Error(value, $"{what}.{key} must map names to strings");
        }
        return map;
    }

    /// <summary>An empty value (<c>webhook:</c>, <c>~</c>, <c>null</c>).</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: "" or "~" or "null" or null };
}
