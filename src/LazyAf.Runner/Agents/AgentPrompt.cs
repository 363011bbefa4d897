using System.Text;

namespace LazyAf.Runner.Agents;

/// <summary>
/// Fills an agent step's prompt template. Placeholders: <c>{{title}}</c>, <c>{{description}}</c>, <c>{{branch}}</c>,
/// <c>{{previous_output}}</c> (the end of the previous step's log) and <c>{{test_failures}}</c> (the failed tests of
/// earlier steps). Without a template the agent gets the card and whatever of the rest there is.
/// </summary>
public static class AgentPrompt
{
    private const int PreviousOutputChars = 6000;

    /// <summary>The prompt for <paramref name="spec"/> from <paramref name="template"/> (null for the default).</summary>
    public static string Render(StepSpec spec, string? template)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var previous = spec.Context.PreviousSteps.Count > 0 ? spec.Context.PreviousSteps[^1] : null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["title"] = spec.Context.Title,
            ["description"] = spec.Context.Description,
            ["branch"] = spec.Repo.WorkBranch,
            ["previous_output"] = previous is null ? "" : Tail(previous.LogTail),
            ["test_failures"] = TestFailures(spec.Context.PreviousSteps),
        };
        var text = new StringBuilder(template ?? DefaultTemplate(values));
        foreach (var (name, value) in values)
            text.Replace("{{" + name + "}}", value);
        return text.ToString();
    }

    private static string DefaultTemplate(Dictionary<string, string> values)
    {
        var template = new StringBuilder("{{title}}\n");
        if (values["description"].Length > 0)
            template.Append("\n{{description}}\n");
        if (values["test_failures"].Length > 0)
            template.Append("\nThese tests failed in the previous step; make them pass:\n{{test_failures}}\n");
        if (values["previous_output"].Length > 0)
            template.Append("\nThe end of the previous step's output:\n```\n{{previous_output}}\n```\n");
        template.Append("\nYou work in a checkout of branch {{branch}}; .lazyaf-context/ holds more context. ")
            .Append("Leave your changes in the working tree: LazyAF commits and pushes them.\n");
        return template.ToString();
    }

    // Enough for many failures with their output, not so much that a broken suite floods the model's context.
    private const int TestFailuresChars = 24_000;

    private static string TestFailures(IReadOnlyList<PreviousStep> steps)
    {
        var failures = steps.Where(s => s.Tests is not null).SelectMany(s => s.Tests!.Failures).ToList();
        var text = new StringBuilder();
        for (var i = 0; i < failures.Count; i++)
        {
            var entry = Entry(failures[i]);
            if (text.Length + entry.Length > TestFailuresChars && i > 0)
            {
                text.Append($"- … and {failures.Count - i} more failing tests (.lazyaf-context/ and the step's reports have them all)\n");
                break;
            }
            text.Append(entry);
        }
        return text.ToString().TrimEnd('\n');
    }

    private static string Entry(TestFailure failure)
    {
        var entry = new StringBuilder(string.IsNullOrEmpty(failure.Message) ? $"- {failure.Name}\n" : $"- {failure.Name}: {failure.Message}\n");
        if (failure.Output.Length > 0)
            entry.Append("  Its output:\n  ```\n  ").Append(failure.Output.Replace("\n", "\n  ", StringComparison.Ordinal)).Append("\n  ```\n");
        return entry.ToString();
    }

    private static string Tail(string log) => log.Length <= PreviousOutputChars ? log : log[^PreviousOutputChars..];
}
