using YamlDotNet.RepresentationModel;

namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>Checks across steps, each error at the node that causes it: duplicate ids, unknown targets, cycles.</summary>
internal static class StepGraph
{
    public static void Check(YamlFields fields, IReadOnlyList<(PipelineStep Step, Dictionary<string, YamlNode> Nodes)> steps)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (step, nodes) in steps.Where(s => !s.Step.Id.StartsWith('#')))
        {
            if (!ids.Add(step.Id))
                fields.Error(nodes["id"], $"step id '{step.Id}' is used twice");
        }
        var fixSteps = steps.SelectMany(s => new[] { s.Step.OnSuccess, s.Step.OnFailure }).Where(r => r.Kind == RouteKind.Run).Select(r => r.Target!).ToHashSet();
        foreach (var (step, nodes) in steps)
        {
            if (step.OnFailure is { Kind: RouteKind.Run, Target: { } fix })
            {
                if (!ids.Contains(fix))
                    fields.Error(nodes["on_failure"], $"step {step.Id}.on_failure runs '{fix}', which is not a step id");
                else if (fix == step.Id || fixSteps.Contains(step.Id))
                    fields.Error(nodes["on_failure"], $"step {step.Id}.on_failure cannot run '{fix}': a fix step is not fixed by itself or by another fix step");
            }
            if (!nodes.TryGetValue("needs", out var needsNode) || needsNode is not YamlSequenceNode needs)
                continue;
            foreach (var need in needs.Children.OfType<YamlScalarNode>())
            {
                if (!ids.Contains(need.Value!))
                    fields.Error(need, $"step {step.Id} needs '{need.Value}', which is not a step id");
                else if (fixSteps.Contains(need.Value!))
                    fields.Error(need, $"step {step.Id} needs '{need.Value}', a fix step that runs only through run:");
            }
        }
        if (fields.Errors.Count == 0)
            FindCycle(fields, steps);
    }

    private static void FindCycle(YamlFields fields, IReadOnlyList<(PipelineStep Step, Dictionary<string, YamlNode> Nodes)> steps)
    {
        var byId = steps.ToDictionary(s => s.Step.Id, StringComparer.Ordinal);
        // Steps without needs wait for the step before them, which can close a cycle too.
        var graph = new PipelineDefinition("", "", [], new Dictionary<string, string>(), 1, [.. steps.Select(s => s.Step)]);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        bool Visit(string id)
        {
            if (path.Contains(id))
            {
                var cycle = path.Skip(path.IndexOf(id)).Append(id);
                var at = byId[path[^1]].Nodes;
                fields.Error(at.GetValueOrDefault("needs") ?? at["id"], $"steps form a cycle: {string.Join(" → ", cycle)}");
                return true;
            }
            if (!done.Add(id))
                return false;
            path.Add(id);
            var found = graph.NeedsOf(byId[id].Step).Any(Visit);
            path.RemoveAt(path.Count - 1);
            return found;
        }
        foreach (var step in steps)
        {
            if (Visit(step.Step.Id))
                return;
        }
    }
}
