using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using LazyAf.Mcp.Api;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace LazyAf.Mcp.Tools;

/// <summary>
/// Following what the long tools (start_card, run_pipeline, playground_run) started: polls its state until it reaches
/// one of the wanted states or a bounded timeout passes, and tells the client how it goes meanwhile as progress
/// notifications (when the client asked for them with a progress token).
/// </summary>
[McpServerToolType]
internal sealed class WaitTool(LazyAfApi api)
{
    /// <summary>The longest a client may be kept waiting in one call; it calls again to wait longer.</summary>
    public const int MaxTimeoutSeconds = 300;

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private sealed record Kind(string Path, string StateField, string[] Ends);

    private static readonly Dictionary<string, Kind> Kinds = new(StringComparer.Ordinal)
    {
        // A card is done working once it is anywhere but in_progress.
        ["card"] = new("api/cards/{0}", "status", ["todo", "in_review", "done", "failed"]),
        ["execution"] = new("api/executions/{0}", "state", ["succeeded", "failed", "cancelled", "timed_out"]),
        ["pipeline_run"] = new("api/pipeline-runs/{0}", "state", ["passed", "failed", "cancelled"]),
        ["playground_run"] = new("api/playground/runs/{0}", "state", ["succeeded", "failed", "cancelled", "timed_out"]),
    };

    [McpServerTool(Name = "wait", Title = "Wait for a card or run", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Waits until a card, execution, pipeline run or playground run reaches a state in until (default: it has ended), at most timeout_seconds (1 to 300); reports progress meanwhile.")]
    public async Task<string> Wait(
        [Description("What to wait for: card, execution, pipeline_run or playground_run.")] string kind,
        [Description("Its id.")] string id,
        [Description("The states to wait for (card: todo, in_progress, in_review, done, failed; runs and executions: passed/succeeded, failed, cancelled, timed_out); default: any end state.")] string[]? until = null,
        [Description("How long to wait at most, 1 to 300 seconds (default 60); on timeout it answers the current state, and waiting again is fine.")] int timeout_seconds = 60,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken ct = default)
    {
        if (!Kinds.TryGetValue(kind, out var known))
            throw new ToolFailure($"kind must be one of {string.Join(", ", Kinds.Keys)}, not '{kind}'");
        var wanted = until is { Length: > 0 } ? until : known.Ends;
        var timeout = TimeSpan.FromSeconds(Math.Clamp(timeout_seconds, 1, MaxTimeoutSeconds));
        var path = string.Format(CultureInfo.InvariantCulture, known.Path, JsonFields.Segment(id));
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var current = await api.GetJsonAsync(path, ct);
            var state = current.Str(known.StateField) ?? "";
            var seconds = (int)clock.Elapsed.TotalSeconds;
            progress?.Report(new ProgressNotificationValue { Progress = seconds, Total = (float)timeout.TotalSeconds, Message = $"{kind} {id}: {Describe(current, state)}" });
            if (wanted.Contains(state, StringComparer.Ordinal))
                return $"{kind} {id} is {state} after {seconds} s.\n{current.ToJsonString()}";
            if (clock.Elapsed + PollInterval > timeout)
                return $"{kind} {id} is still {state} after {seconds} s (waiting for {string.Join(" or ", wanted)}); call wait again to go on waiting.\n{current.ToJsonString()}";
            await Task.Delay(PollInterval, ct);
        }
    }

    /// <summary>The state with what is going on inside it: a card's latest attempt, a run's steps.</summary>
    private static string Describe(JsonNode current, string state)
    {
        if (current.Array("attempts").LastOrDefault() is { } attempt)
            return $"{state}, attempt {attempt.Text("number")} {attempt.Str("outcome") ?? "running"}";
        var steps = current.Array("steps");
        return steps.Count == 0 ? state : $"{state} ({string.Join(", ", steps.Select(s => $"{s.Str("id")} {s.Str("state")}"))})";
    }
}
