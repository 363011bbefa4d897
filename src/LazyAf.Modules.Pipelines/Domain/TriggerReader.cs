using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Repos.Contracts;
using YamlDotNet.RepresentationModel;

namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>
/// <c>triggers:</c> entries, each a one-key mapping: <c>- card_complete: {on_pass: merge, on_fail: fail}</c>,
/// <c>- push: {branches: [main, "feature/*"], include_lazyaf: false}</c>, <c>- schedule: {cron: "0 3 * * *"}</c>, <c>- webhook: {}</c>.
/// </summary>
internal static class TriggerReader
{
    private static readonly Dictionary<string, string[]> Keys = new()
    {
        ["card_complete"] = ["branches", "on_pass", "on_fail"],
        ["push"] = ["branches", "include_lazyaf", "on_pass", "on_fail"],
        ["schedule"] = ["cron", "branches", "on_pass", "on_fail"],
        ["webhook"] = ["branches", "on_pass", "on_fail"],
    };

    public static IReadOnlyList<PipelineTrigger> Read(YamlFields fields, YamlNode? node)
    {
        if (node is null || YamlFields.IsNull(node))
            return [];
        if (node is not YamlSequenceNode sequence)
        {
            fields.Error(node, "triggers must be a list, e.g. - push: {branches: [main]}");
            return [];
        }
        var triggers = new List<PipelineTrigger>();
        foreach (var entry in sequence.Children)
        {
            if (entry is not YamlMappingNode { Children.Count: 1 } one || one.Children.First().Key is not YamlScalarNode { Value: { } kind })
            {
                fields.Error(entry, $"a trigger is one of {string.Join(", ", Keys.Keys)} with its settings, e.g. - push: {{branches: [main]}}");
                continue;
            }
            if (!Keys.TryGetValue(kind, out var allowed))
            {
                fields.Error(one.Children.First().Key, $"unknown trigger '{kind}' (allowed: {string.Join(", ", Keys.Keys)})");
                continue;
            }
            var value = one.Children.First().Value;
            var settings = YamlFields.IsNull(value) ? [] : fields.Mapping(value, $"trigger {kind}", allowed);
            triggers.Add(Trigger(fields, kind, settings, value));
        }
        return triggers;
    }

    private static PipelineTrigger Trigger(YamlFields fields, string kind, Dictionary<string, YamlNode> settings, YamlNode at)
    {
        var what = $"trigger {kind}";
        var branches = fields.TextList(settings, "branches", what)?.Select(b => b.Value).ToList() ?? [];
        var cron = fields.Text(settings, "cron", what);
        if (kind == "schedule" && cron is null)
            fields.Error(at, "trigger schedule needs cron, e.g. cron: \"0 3 * * *\"");
        else if (cron is not null && cron.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: not 5 })
            fields.Error(settings["cron"], $"cron '{cron}' must have five fields: minute hour day-of-month month day-of-week");
        var onPass = fields.Text(settings, "on_pass", what) ?? "nothing";
        if (onPass is not ("merge" or "nothing") && !(onPass.StartsWith("merge:", StringComparison.Ordinal) && BranchNames.Check(onPass[6..]) is null))
            fields.Error(settings["on_pass"], $"{what}.on_pass must be merge, merge:{{branch}} or nothing");
        var onFail = fields.Text(settings, "on_fail", what) ?? "nothing";
        if (onFail is not ("fail" or "reject" or "nothing"))
            fields.Error(settings["on_fail"], $"{what}.on_fail must be fail, reject or nothing");
        return new PipelineTrigger(kind, branches, fields.Boolean(settings, "include_lazyaf", what) ?? false, cron, onPass, onFail);
    }
}
