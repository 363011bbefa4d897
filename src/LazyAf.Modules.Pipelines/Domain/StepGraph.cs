using YamlDotNet.RepresentationModel;

namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>
/// Checks across steps, each error at the node that causes it: duplicate ids, unknown targets, cycles. Linear in the
/// number of steps and needs.
/// </summary>
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
        // Steps without needs wait for the step before them, which can close a cycle too.
        var graph = new PipelineDefinition("", "", [], new Dictionary<string, string>(), 1, [.. steps.Select(s => s.Step)]);
        foreach (var (step, nodes) in steps)
        {
            if (step.OnFailure is { Kind: RouteKind.Run, Target: { } fix })
            {
                if (!ids.Contains(fix))
                    fields.Error(nodes["on_failure"], $"step {step.Id}.on_failure runs '{fix}', which is not a step id");
                else if (fix == step.Id || graph.FixSteps.Contains(step.Id))
                    fields.Error(nodes["on_failure"], $"step {step.Id}.on_failure cannot run '{fix}': a fix step is not fixed by itself or by another fix step");
            }
            if (!nodes.TryGetValue("needs", out var needsNode) || needsNode is not YamlSequenceNode needs)
                continue;
            foreach (var need in needs.Children.OfType<YamlScalarNode>())
            {
                if (!ids.Contains(need.Value!))
                    fields.Error(need, $"step {step.Id} needs '{need.Value}', which is not a step id");
                else if (graph.FixSteps.Contains(need.Value!))
                    fields.Error(need, $"step {step.Id} needs '{need.Value}', a fix step that runs only through run:");
            }
        }
        if (fields.Errors.Count == 0)
            FindCycle(fields, steps, graph);
    }

    /// <summary>A depth-first walk without recursion (a chain of a thousand steps is a thousand deep), each step entered once.</summary>
    private static void FindCycle(YamlFields fields, IReadOnlyList<(PipelineStep Step, Dictionary<string, YamlNode> Nodes)> steps, PipelineDefinition graph)
    {
        var byId = steps.ToDictionary(s => s.Step.Id, StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var onPath = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        var pending = new Stack<IEnumerator<string>>();
        foreach (var start in steps.Select(s => s.Step.Id))
        {
            if (!done.Add(start))
                continue;
            Enter(start);
            while (pending.TryPeek(out var needs))
            {
                if (!needs.MoveNext())
                {
                    pending.Pop();
                    onPath.Remove(path[^1]);
                    path.RemoveAt(path.Count - 1);
                    continue;
                }
                var next = needs.Current;
                if (onPath.Contains(next))
                {
                    var cycle = path.Skip(path.IndexOf(next)).Append(next);
                    var at = byId[path[^1]].Nodes;
                    fields.Error(at.GetValueOrDefault("needs") ?? at["id"], $"steps form a cycle: {string.Join(" → ", cycle)}");
                    return;
                }
                if (done.Add(next))
                    Enter(next);
            }
        }

        void Enter(string id)
        {
            path.Add(id);
            onPath.Add(id);
            pending.Push(graph.NeedsOf(byId[id].Step).GetEnumerator());
        }
    }
}
