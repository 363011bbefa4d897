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
    private const int RelevantLinesShown = 8;
    private const int LastLinesShown = 3;
    private const int LinesScanned = 400;

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
        text.Line($"step '{step.Str("id")}' ({step.Str("type")}), attempt {step.Text("attempt")}: {step.Str("state")}{ExitOf(step)}{Suffix(step.Str("error"))}");
        Tests(text, step["tests"]);
        if (step.Str("execution_id") is not { } execution)
            return text.ToString();
        await LogLinesAsync(text, execution, ct);
        return text.ToString() + Hint(execution);
    }

    public async Task<string> OfExecutionAsync(string executionId, CancellationToken ct)
    {
        var execution = await api.GetJsonAsync($"api/executions/{JsonFields.Segment(executionId)}", ct);
        var text = new SummaryText(MaxChars - HintRoom);
        text.Line($"execution {execution.Str("id")} ({execution.Str("kind")}, attempt {execution.Text("attempt")}, branch {execution.Str("branch")}): "
            + $"{execution.Str("state")}{ExitOf(execution)}{Suffix(execution.Str("error"))}");
        Tests(text, execution["tests"]);
        await LogLinesAsync(text, executionId, ct);
        return text.ToString() + Hint(executionId);
    }

    public async Task<string> OfCardAsync(string cardId, CancellationToken ct)
    {
        var card = await api.GetJsonAsync($"api/cards/{JsonFields.Segment(cardId)}", ct);
        var heading = $"card {card.Str("id")} '{card.Str("title")}': {card.Str("status")}";
        if (card.Array("attempts").LastOrDefault() is not { } attempt || attempt.Str("execution_id") is not { } execution)
            return heading + "; it has not run yet.\n";
        var outcome = attempt.Str("outcome") ?? "running";
        heading += $", attempt {attempt.Text("number")} {outcome}{Suffix(attempt.Str("test_summary"))}\n";
        return heading + (outcome is "succeeded" ? "its last attempt did not fail.\n" : await OfExecutionAsync(execution, ct));
    }

    private static void Tests(SummaryText text, JsonNode? tests)
    {
        if (tests is null)
            return;
        var failedTests = tests.Array("failed_tests").Select(t => t?.GetValue<string>()).OfType<string>().ToList();
        text.Line($"tests: {tests.Text("failed")} of {tests.Text("total")} failed ({tests.Text("passed")} passed, {tests.Text("skipped")} skipped)");
        var messages = tests["failure_messages"] as JsonObject;
        foreach (var name in failedTests.Take(TestsShown))
            text.Line($"- {name}: {messages?[name]?.GetValue<string>() ?? "(no message in the report)"}", 320);
        if (failedTests.Count > TestsShown)
            text.Line($"- and {failedTests.Count - TestsShown} more failed tests (get_execution lists them all)");
    }

    /// <summary>The last lines that look like errors, and the very last lines, of the execution's output, with their numbers.</summary>
    private async Task LogLinesAsync(SummaryText text, string executionId, CancellationToken ct)
    {
        var last = new Queue<LogLine>();
        var chunks = api.LogsAsync($"api/executions/{JsonFields.Segment(executionId)}/logs?after_seq=0&follow=false", ct);
        await foreach (var line in LogLines.ReadAsync(chunks, LogLines.Streams(stderrOnly: false), ct))
        {
            last.Enqueue(line);
            if (last.Count > LinesScanned)
                last.Dequeue();
        }
        if (last.Count == 0)
            return;
        var relevant = last.Where(l => Relevant().IsMatch(l.Text)).TakeLast(RelevantLinesShown);
        var chosen = relevant.Concat(last.Where(l => l.Text.Trim().Length > 0).TakeLast(LastLinesShown)).DistinctBy(l => l.Number).OrderBy(l => l.Number).ToList();
        text.Line($"last relevant output lines (of {last.Last().Number}):");
        foreach (var line in chosen)
        {
            if (!text.Line($"  {line.Number}: {line.Text}", 200))
                break;
        }
    }

    private static string Hint(string executionId) =>
        $"more: get_execution_logs execution_id={executionId} tail_lines=100, or search_execution_logs with a pattern\n";

    private static string ExitOf(JsonNode? node) => node.Text("exit_code") is { } code ? $", exit code {code}" : "";

    private static string Suffix(string? detail) => string.IsNullOrWhiteSpace(detail) ? "" : $" ({detail})";
}
