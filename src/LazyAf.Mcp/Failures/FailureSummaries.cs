using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LazyAf.Mcp.Api;
using LazyAf.Mcp.Logs;

namespace LazyAf.Mcp.Failures;

/// <summary>
/// What a model needs to fix a failure, in under 2,000 characters: what failed (the run's failing step, or the card's
/// last attempt), its failing tests with their messages, and the last relevant lines of its output, then where to
/// read more. Built from the run, execution and log endpoints; nothing here is stored.
/// </summary>
internal sealed partial class FailureSummaries(LazyAfApi api)
{
    /// <summary>The most characters of a summary, the hint to read more included.</summary>
    public const int MaxChars = 1_900;

    private const int HintRoom = 220;
    private const int TestsShown = 5;
    private const int MaxTestLine = 200;
    private const int MoreTestsRoom = 300;
    private const int RelevantLinesShown = 8;
    private const int LastLinesShown = 3;

    [GeneratedRegex(@"\b(error|errors|fail|failed|failure|failures|exception|assert\w*|expected|panic\w*|fatal|traceback|cannot|denied|not found|timed out)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Relevant();

    public async Task<string> OfRunAsync(string runId, CancellationToken ct)
    {
        var run = await api.GetJsonAsync($"api/pipeline-runs/{JsonFields.Segment(runId)}", ct);
        var text = new SummaryText(MaxChars - HintRoom);
        var state = run.Str("state");
        text.Line($"pipeline run {run.Str("id")} of '{run.Str("pipeline")}' on {run.Str("branch")}: {state}{Suffix(run.Str("error"))}");
        var failed = run.Array("steps").OfType<JsonNode>().Where(s => s.Str("state") is "failed" or "cancelled").ToList();
        if (failed.Count == 0)
            return text.ToString() + (state is "passed" ? "nothing failed.\n" : "no step has failed (yet); wait, then ask again.\n");
        if (failed.Count > 1)
            text.Line($"failed steps: {string.Join(", ", failed.Select(s => $"{s.Str("id")} ({s.Str("state")})"))}");
        var step = failed[0];
        text.Line($"step '{step.Str("id")}' ({step.Str("type")}), attempt {step.Text("attempt")}: {Outcome(step)}");
        Tests(text, step["tests"]);
        if (step.Str("execution_id") is not { } execution)
            return text.ToString();
        await LogLinesAsync(text, execution, ct);
        return text.ToString() + Hint(execution);
    }

    public Task<string> OfExecutionAsync(string executionId, CancellationToken ct) => OfExecutionAsync(executionId, null, ct);

    public async Task<string> OfCardAsync(string cardId, CancellationToken ct)
    {
        var card = await api.GetJsonAsync($"api/cards/{JsonFields.Segment(cardId)}", ct);
        var heading = $"card {card.Str("id")} '{card.Str("title")}': {card.Str("status")}";
        if (card.Array("attempts").LastOrDefault() is not { } attempt || attempt.Str("execution_id") is not { } execution)
            return heading + "; it has not run yet.\n";
        var outcome = attempt.Str("outcome") ?? "running";
        heading += $", attempt {attempt.Text("number")} {outcome}";
        return outcome is "succeeded" ? heading + "; its last attempt did not fail.\n" : await OfExecutionAsync(execution, heading, ct);
    }

    /// <summary>The execution's summary, after <paramref name="heading"/> (what it ran for) when there is one.</summary>
    private async Task<string> OfExecutionAsync(string executionId, string? heading, CancellationToken ct)
    {
        var execution = await api.GetJsonAsync($"api/executions/{JsonFields.Segment(executionId)}", ct);
        var text = new SummaryText(MaxChars - HintRoom);
        if (heading is not null)
            text.Line(heading);
        text.Line($"execution {execution.Str("id")} ({execution.Str("kind")}, attempt {execution.Text("attempt")}, branch {execution.Str("branch")}): {Outcome(execution)}");
        Tests(text, execution["tests"]);
        await LogLinesAsync(text, executionId, ct);
        return text.ToString() + Hint(executionId);
    }

    /// <summary>The counts, then failing tests with their messages while they fit, leaving room to say how many more there are.</summary>
    private static void Tests(SummaryText text, JsonNode? tests)
    {
        if (tests is null)
            return;
        var failedTests = tests.Array("failed_tests").Select(t => t?.GetValue<string>()).OfType<string>().ToList();
        text.Line($"tests: {tests.Text("failed")} of {tests.Text("total")} failed ({tests.Text("passed")} passed, {tests.Text("skipped")} skipped)");
        var messages = tests["failure_messages"] as JsonObject;
        var shown = 0;
        foreach (var name in failedTests.Take(TestsShown))
        {
            var line = SummaryText.OneLine($"- {name}: {messages?[name]?.GetValue<string>() ?? "(no message in the report)"}", MaxTestLine);
            if (text.Left < line.Length + MoreTestsRoom || !text.Line(line))
                break;
            shown++;
        }
        if (failedTests.Count > shown)
            text.Line($"- and {failedTests.Count - shown} more failed tests (get_execution lists them all)");
    }

    /// <summary>
    /// The last lines anywhere in the execution's output that look like errors (stderr and stdout are read apart, so
    /// an error printed last may come early), and the very last lines, with their numbers.
    /// </summary>
    private async Task LogLinesAsync(SummaryText text, string executionId, CancellationToken ct)
    {
        var relevant = new Queue<LogLine>();
        var last = new Queue<LogLine>();
        var chunks = api.LogsAsync($"api/executions/{JsonFields.Segment(executionId)}/logs?after_seq=0&follow=false", ct);
        // The step's own output: the runner's system lines (checkout, commit, push) say nothing about why it failed.
        await foreach (var line in LogLines.ReadAsync(chunks, stream => stream is "stdout" or "stderr", ct))
        {
            if (Relevant().IsMatch(line.Text))
                Keep(relevant, line, RelevantLinesShown);
            if (line.Text.Trim().Length > 0)
                Keep(last, line, LastLinesShown);
        }
        if (last.Count == 0)
            return;
        text.Line($"last relevant output lines (of {last.Last().Number}):");
        foreach (var line in relevant.Concat(last).DistinctBy(l => l.Number).OrderBy(l => l.Number))
        {
            if (!text.Line($"  {line.Number}: {line.Text}", 200))
                break;
        }
    }

    private static void Keep(Queue<LogLine> lines, LogLine line, int most)
    {
        lines.Enqueue(line);
        if (lines.Count > most)
            lines.Dequeue();
    }

    private static string Hint(string executionId) =>
        $"more: get_execution_logs execution_id={executionId} tail_lines=100, or search_execution_logs with a pattern\n";

    /// <summary>The state with its error, else its exit code (<c>failed (exit code 1)</c>).</summary>
    private static string Outcome(JsonNode? node) =>
        node.Str("state") + Suffix(node.Str("error") ?? (node.Text("exit_code") is { } code ? $"exit code {code}" : null));

    private static string Suffix(string? detail) => string.IsNullOrWhiteSpace(detail) ? "" : $" ({detail})";
}
