using System.ComponentModel;
using LazyAf.Mcp.Api;
using ModelContextProtocol.Server;

namespace LazyAf.Mcp.Tools;

/// <summary>Debug re-runs for an agent: start one that pauses, read its session, run commands in it, mark, resume or abort it.</summary>
[McpServerToolType]
internal sealed class DebugTools(LazyAfApi api)
{
    [McpServerTool(Name = "debug_rerun", Title = "Start a debug re-run", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Re-runs a pipeline run in debug mode: it pauses before the breakpoint steps and, with pause_on_failure, after a failed step; returns the new run id.")]
    public async Task<string> DebugRerun(
        [Description("The pipeline run to re-run.")] string run_id,
        [Description("Steps (ids or names) to pause before.")] string[]? breakpoints = null,
        [Description("Pause after a step that fails, keeping what it left, instead of failing.")] bool pause_on_failure = false,
        [Description("A commit to run on instead of the run's.")] string? commit = null,
        CancellationToken ct = default)
    {
        var started = await api.SendJsonAsync(HttpMethod.Post, $"api/pipeline-runs/{JsonFields.Segment(run_id)}/debug-rerun",
            Body.Of(("breakpoints", breakpoints ?? []), ("pause_on_failure", pause_on_failure), ("commit", commit)), ct);
        var id = started.Str("run_id");
        return $"debug re-run {id} started. Call get_debug_session run_id={id} until it lists a waiting session: the run is then paused there "
            + "(get_pipeline_run shows its state; a run that ends without pausing opens none); then debug_exec runs commands there.";
    }

    [McpServerTool(Name = "get_debug_session", Title = "Get a debug session", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Shows a debug session by session_id, or a debug run's sessions by run_id: the step it paused at, its state (waiting, connected, ended, timed_out) and expiry.")]
    public Task<string> GetDebugSession(
        [Description("The session's id.")] string? session_id = null,
        [Description("Or a debug run's id: its sessions, oldest first.")] string? run_id = null,
        CancellationToken ct = default) => (session_id, run_id) switch
        {
            ({ Length: > 0 } sid, null or "") => api.GetAsync($"api/debug/{JsonFields.Segment(sid)}", ct),
            (null or "", { Length: > 0 } rid) => api.GetAsync($"api/debug{Query.Of(("run_id", rid))}", ct),
            _ => throw new ToolFailure("give session_id or run_id, one of them"),
        };

    [McpServerTool(Name = "debug_exec", Title = "Run a command in a debug session", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Runs one shell command where the paused step runs (its workspace and variables; mode 'sidecar': beside it, none of its variables) and returns its exit code and output (masked, last 64 KiB).")]
    public async Task<string> DebugExec(
        [Description("The session's id.")] string session_id,
        [Description("The shell command line, e.g. 'sh check.sh' or 'ls -la'.")] string command,
        [Description("Seconds it may take (1 to 600; 60 when not given).")] int? timeout_seconds = null,
        [Description("'shell' (the default: the step's environment) or 'sidecar' (a helper with the step's workspace and none of its variables; for a docker step a container of the host's sidecar image).")] string? mode = null,
        CancellationToken ct = default)
    {
        var ran = await api.SendJsonAsync(HttpMethod.Post, $"api/debug/{JsonFields.Segment(session_id)}/exec",
            Body.Of(("command", command), ("timeout_seconds", timeout_seconds), ("mode", mode)), ct);
        var how = ran?["timed_out"]?.GetValue<bool>() == true ? $"timed out and was killed after {timeout_seconds ?? 60} s"
            : ran?["exit_code"] is { } code ? $"exit code {code.GetValue<int>()}"
            : $"ended without an exit code ({ran.Str("reason")})";
        var truncated = ran?["truncated"]?.GetValue<bool>() == true ? " (output truncated: its last 64 KiB)" : "";
        return $"{how}{truncated}\n{ran.Str("output")}";
    }

    [McpServerTool(Name = "debug_mark", Title = "Mark a failed step's outcome", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("For a session that paused after a step failed: records the step as passed or failed by hand, ends the session, and the run goes on from that outcome.")]
    public Task<string> DebugMark(
        [Description("The session's id.")] string session_id,
        [Description("'passed' or 'failed'.")] string outcome,
        CancellationToken ct) =>
        api.SendAsync(HttpMethod.Post, $"api/debug/{JsonFields.Segment(session_id)}/mark", Body.Of(("outcome", outcome)), ct);

    [McpServerTool(Name = "debug_resume", Title = "Resume a debug session", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Ends the session and lets its run go on (before a step: the step starts; after a failure: the failure stands). An ended session answers 409.")]
    public Task<string> DebugResume([Description("The session's id.")] string session_id, CancellationToken ct) =>
        api.SendAsync(HttpMethod.Post, $"api/debug/{JsonFields.Segment(session_id)}/resume", null, ct);

    [McpServerTool(Name = "debug_abort", Title = "Abort a debug session", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = false)]
    [Description("Ends the session and cancels its run. An ended session answers 409.")]
    public Task<string> DebugAbort([Description("The session's id.")] string session_id, CancellationToken ct) =>
        api.SendAsync(HttpMethod.Post, $"api/debug/{JsonFields.Segment(session_id)}/abort", null, ct);
}
