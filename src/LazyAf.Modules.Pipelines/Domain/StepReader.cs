using System.Globalization;
using System.Text.RegularExpressions;
using LazyAf.Modules.Execution.Contracts;
using YamlDotNet.RepresentationModel;

namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>The <c>steps:</c> list, then the checks across steps: unique ids, known <c>needs</c> and <c>run:</c> targets, no cycles.</summary>
internal static partial class StepReader
{
    private static readonly string[] StepKeys =
        ["id", "name", "type", "config", "timeout", "retry", "requires", "continue_in_context", "needs", "on_success", "on_failure"];

    public static IReadOnlyList<PipelineStep> ReadAll(YamlFields fields, YamlNode? node, YamlNode root)
    {
        if (node is not YamlSequenceNode { Children.Count: > 0 } sequence)
        {
            fields.Error(node ?? root, "steps must be a list of at least one step");
            return [];
        }
        if (sequence.Children.Count > PipelineDefinition.MaxSteps)
        {
            fields.Error(sequence, $"a pipeline has at most {PipelineDefinition.MaxSteps} steps; this one has {sequence.Children.Count}");
            return [];
        }
        var read = sequence.Children.Select((s, i) => Read(fields, s, i + 1)).OfType<(PipelineStep Step, Dictionary<string, YamlNode> Nodes)>().ToList();
        StepGraph.Check(fields, read);
        return [.. read.Select(r => r.Step)];
    }

    private static (PipelineStep, Dictionary<string, YamlNode>)? Read(YamlFields fields, YamlNode node, int index)
    {
        var what = $"step {index}";
        var step = fields.Mapping(node, what, StepKeys);
        if (node is not YamlMappingNode)
            return null;
        var id = fields.Text(step, "id", what);
        if (id is null)
            fields.Error(node, $"{what} needs an id");
        else if (!DefinitionReader.IsName(id))
            fields.Error(step["id"], $"step id '{id}' may hold only letters, digits, '.', '_' and '-'");
        what = id is null ? what : $"step {id}";
        var type = fields.Text(step, "type", what) ?? StepSchema.Script;
        var requires = fields.TextList(step, "requires", what) ?? [];
        var (definition, config) = StepConfigReader.Read(
            fields, node, type, step.GetValueOrDefault("type"), step.GetValueOrDefault("config"), requires, step.GetValueOrDefault("requires"), what);
        return (new PipelineStep(
            id ?? $"#{index}",
            fields.Text(step, "name", what) ?? id ?? what,
            definition ?? new ScriptStep(""),
            config.ToJsonString(),
            Timeout(fields, step, what),
            fields.Integer(step, "retry", what, 0) ?? 0,
            fields.Boolean(step, "continue_in_context", what) ?? false,
            fields.TextList(step, "needs", what)?.Select(n => n.Value).ToList(),
            RouteReader.Read(fields, step, "on_success", what, StepRoute.Next),
            RouteReader.Read(fields, step, "on_failure", what, StepRoute.Stop)), step);
    }

    /// <summary><c>timeout</c>: seconds (<c>600</c>) or a duration (<c>90s</c>, <c>10m</c>, <c>1h30m</c>).</summary>
    private static int? Timeout(YamlFields fields, Dictionary<string, YamlNode> step, string what)
    {
        if (fields.Text(step, "timeout", what) is not { } text)
            return null;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= StepSchema.MaxTimeoutSeconds)
            return (int)seconds;
        var match = Duration().Match(text);
        if (match.Success && match.Length > 0)
        {
            // Parts longer than any sane duration would overflow; they are simply out of range.
            double Part(string group) => match.Groups[group].Success ? double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
            var total = Part("h") * 3600 + Part("m") * 60 + Part("s");
            if (total is > 0 and <= StepSchema.MaxTimeoutSeconds)
                return (int)total;
        }
        fields.Error(step["timeout"], $"{what}.timeout must be seconds or a duration such as 90s, 10m or 1h30m, at most {StepSchema.MaxTimeoutSeconds / 3600} hours");
        return null;
    }

    [GeneratedRegex(@"^(?:(?<h>\d+)h)?(?:(?<m>\d+)m)?(?:(?<s>\d+)s)?$")]
    private static partial Regex Duration();
}
