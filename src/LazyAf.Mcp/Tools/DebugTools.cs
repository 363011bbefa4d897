using System.ComponentModel;
using LazyAf.Mcp.Api;
using ModelContextProtocol.Server;

namespace LazyAf.Mcp.Tools;

/// <summary>Debug re-runs for an agent: start one that pauses, read its session, resume or abort it.</summary>
[McpServerToolType]
internal sealed class DebugTools(LazyAfApi api)
{
    [McpServerTool(Name = "start_debug_rerun", Title = "Start a debug re-run", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Re-runs a pipeline run in debug mode: it pauses before the breakpoint steps and, with pause_on_failure, after a failed step; returns the new run id.")]
    public async Task<string> StartDebugRerun(
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
            + "(get_pipeline_run shows its state; a run that ends without pausing opens none).";
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

    [McpServerTool(Name = "resume_debug_session", Title = "Resume a debug session", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Ends the session and lets its run go on (before a step: the step starts; after a failure: the failure stands). An ended session answers 409.")]
    public Task<string> ResumeDebugSession([Description("The session's id.")] string session_id, CancellationToken ct) =>
        api.SendAsync(HttpMethod.Post, $"api/debug/{JsonFields.Segment(session_id)}/resume", null, ct);

    [McpServerTool(Name = "abort_debug_session", Title = "Abort a debug session", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = false)]
    [Description("Ends the session and cancels its run. An ended session answers 409.")]
    public Task<string> AbortDebugSession([Description("The session's id.")] string session_id, CancellationToken ct) =>
        api.SendAsync(HttpMethod.Post, $"api/debug/{JsonFields.Segment(session_id)}/abort", null, ct);
}
