using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>Reads a pipeline from YAML (JSON is YAML too): the definition when it is valid, else every error with its line and column.</summary>
internal static partial class DefinitionReader
{
    private static readonly string[] TopKeys = ["name", "description", "triggers", "env", "max_attempts", "steps"];

    public sealed record Outcome(PipelineDefinition? Definition, IReadOnlyList<DefinitionError> Errors)
    {
        public bool IsValid => Definition is not null;
    }

    /// <summary>Reads <paramref name="text"/>; <paramref name="fallbackName"/> (a file's name) is used when it has no <c>name</c>.</summary>
    public static Outcome Read(string text, string? fallbackName = null)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            return new Outcome(null, [new DefinitionError((int)e.Start.Line, (int)e.Start.Column, Reason(e))]);
        }
        if (stream.Documents.Count != 1)
            return new Outcome(null, [new DefinitionError(1, 1, "a pipeline file holds exactly one YAML document")]);

        var fields = new YamlFields();
        var root = stream.Documents[0].RootNode;
        var top = fields.Mapping(root, "the pipeline", TopKeys);
        var name = fields.Text(top, "name", "pipeline") ?? fallbackName;
        if (name is null)
            fields.Error(root, "name is required");
        else if (!IsName(name))
            fields.Error(top.GetValueOrDefault("name") ?? root, $"name '{name}' may hold only letters, digits, '.', '_' and '-'");
        var triggers = TriggerReader.Read(fields, top.GetValueOrDefault("triggers"));
        var env = fields.TextMap(top, "env", "pipeline");
        var maxAttempts = fields.Integer(top, "max_attempts", "pipeline", 1) ?? PipelineDefinition.DefaultMaxAttempts;
        var steps = StepReader.ReadAll(fields, top.GetValueOrDefault("steps"), root);

        return fields.Errors.Count > 0 || root is not YamlMappingNode
            ? new Outcome(null, [.. fields.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column)])
            : new Outcome(new PipelineDefinition(name!, fields.Text(top, "description", "pipeline") ?? "", triggers, env, maxAttempts, steps), []);
    }

    public static bool IsName(string name) => NamePattern().IsMatch(name);

    // YamlDotNet puts "(Line: 3, Col: 5, Idx: 20) - (Line: …): " before the reason; the error carries the position already.
    private static string Reason(YamlException e) => MarkPrefix().Replace(e.Message, "");

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();
}
