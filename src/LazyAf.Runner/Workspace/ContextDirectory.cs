using System.Text;
using LazyAf.Runner.Logs;

namespace LazyAf.Runner.Workspace;

/// <summary>
/// <c>.lazyaf-context/</c>: what the step is for, in files an agent (or a script) can read: <c>task.md</c>,
/// <c>previous-steps.md</c> and <c>test-failures.md</c>. It is rewritten for every run and never committed.
/// </summary>
internal static class ContextDirectory
{
    public const string Name = ".lazyaf-context";

    /// <summary>When the context was written, just before set-up and the step ran (<see cref="DateTime.MinValue"/> if it was not).</summary>
    public static DateTime WrittenAt(string workspace)
    {
        var task = new FileInfo(Path.Combine(workspace, Name, "task.md"));
        return task.Exists ? task.LastWriteTimeUtc : DateTime.MinValue;
    }

    /// <summary>Writes the context, with <paramref name="redactor"/>'s secrets masked: earlier steps' text may carry them.</summary>
    public static async Task WriteAsync(string workspace, StepContext context, SecretRedactor redactor, CancellationToken ct)
    {
        var directory = Path.Combine(workspace, Name);
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true); // A file from an earlier run must not pass for this run's context.
        Directory.CreateDirectory(directory);
        await GitExclude.AddAsync(workspace, Name + "/", ct);

        await File.WriteAllTextAsync(Path.Combine(directory, "task.md"), redactor.Redact($"# {context.Title}\n\n{context.Description}\n"), ct);
        if (context.PreviousSteps.Count > 0)
            await File.WriteAllTextAsync(Path.Combine(directory, "previous-steps.md"), redactor.Redact(PreviousSteps(context.PreviousSteps)), ct);
        // The failures an agent is asked to fix: those of the latest step that ran tests.
        var latestTests = context.PreviousSteps.LastOrDefault(s => s.Tests is not null)?.Tests;
        if (latestTests is { Failures.Count: > 0 })
            await File.WriteAllTextAsync(Path.Combine(directory, "test-failures.md"), redactor.Redact(Failures(latestTests)), ct);
    }

    private static string PreviousSteps(IReadOnlyList<PreviousStep> steps)
    {
        var text = new StringBuilder("# Previous steps\n");
        foreach (var step in steps)
        {
            text.Append($"\n## {step.Name}: {step.Outcome}\n");
            if (step.Tests is { } tests)
                text.Append($"\nTests: {tests.Total} run, {tests.Passed} passed, {tests.Failed} failed, {tests.Skipped} skipped.\n");
            if (!string.IsNullOrWhiteSpace(step.LogTail))
                text.Append($"\nEnd of its log:\n\n```\n{step.LogTail.TrimEnd()}\n```\n");
        }
        return text.ToString();
    }

    private static string Failures(TestSummary tests)
    {
        var text = new StringBuilder($"# Failing tests ({tests.Failed} of {tests.Total})\n");
        foreach (var failure in tests.Failures)
        {
            text.Append($"\n## {failure.Name}\n\nReport: {failure.Report}\n\n```\n{failure.Message}\n```\n");
            if (failure.Output.Length > 0)
                text.Append($"\nOutput:\n\n```\n{failure.Output}\n```\n");
        }
        return text.ToString();
    }
}
