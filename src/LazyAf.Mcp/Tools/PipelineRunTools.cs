using System.ComponentModel;
using System.Text.Json.Nodes;
using LazyAf.Mcp.Api;
using LazyAf.Mcp.Logs;
using LazyAf.Mcp.Results;
using ModelContextProtocol.Server;

namespace LazyAf.Mcp.Tools;

/// <summary>Pipeline runs: starting one (returns at once), listing, reading, cancelling, and a step's output.</summary>
[McpServerToolType]
internal sealed class PipelineRunTools(LazyAfApi api, ResultCap cap)
{
    [McpServerTool(Name = "run_pipeline", Title = "Run a pipeline", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Runs a pipeline by name as the branch sees it (its .lazyaf/pipelines file, else the stored one); returns at once with the run id (follow with wait kind=pipeline_run).")]
    public async Task<string> RunPipeline(
        [Description("The repo's id or name.")] string repo,
        [Description("The pipeline's name.")] string pipeline,
        [Description("The branch to run on (default: the default branch).")] string? branch = null,
        [Description("A commit of that branch to run on (default: its tip).")] string? commit = null,
        [Description("Parameters, given to the steps as environment variables: {\"NAME\": \"value\"}.")] Dictionary<string, string>? @params = null,
        CancellationToken ct = default)
    {
        var id = await Repos.IdAsync(api, repo, ct);
        var run = await api.SendJsonAsync(HttpMethod.Post, $"api/repos/{id}/pipelines/{JsonFields.Segment(pipeline)}/run",
            Body.Of(("branch", branch), ("commit", commit), ("params", @params)), ct);
        var steps = string.Join(", ", run.Array("steps").Select(s => s.Str("id")));
        return $"pipeline run {run.Str("id")} of '{run.Str("pipeline")}' on {run.Str("branch")} is {run.Str("state")} (steps: {steps}).\n"
            + $"It runs in the background: wait kind=pipeline_run id={run.Str("id")} follows it; get_failure_summary run_id={run.Str("id")} says why it failed.";
    }

    [McpServerTool(Name = "list_pipeline_runs", Title = "List pipeline runs", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Lists pipeline runs, newest first, narrowed by repo, pipeline and state (pending, running, passed, failed, cancelled).")]
    public async Task<string> ListPipelineRuns(
        [Description("The repo's id or name.")] string? repo = null,
        [Description("The pipeline's name.")] string? pipeline = null,
        [Description("Only runs in this state.")] string? state = null,
        [Description("The most runs to list (1 to 200, default 20).")] int limit = 20,
        CancellationToken ct = default)
    {
        var repoId = repo is { Length: > 0 } ? await Repos.IdAsync(api, repo, ct) : null;
        var runs = await api.GetJsonAsync($"api/pipeline-runs{Query.Of(("repo_id", repoId), ("pipeline", pipeline), ("state", state))}", ct) as JsonArray ?? [];
        var shown = runs.Take(Math.Clamp(limit, 1, 200)).Select(r => r?.DeepClone()).ToArray();
        return new JsonObject { ["total"] = runs.Count, ["runs"] = new JsonArray(shown) }.ToJsonString();
    }

    [McpServerTool(Name = "get_pipeline_run", Title = "Get a pipeline run", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Shows a run with each step's state, attempts, timing, test counts and execution id.")]
    public Task<string> GetPipelineRun([Description("The run's id.")] string run_id, CancellationToken ct) =>
        api.GetAsync(RunPath(run_id), ct);

    [McpServerTool(Name = "cancel_pipeline_run", Title = "Cancel a pipeline run", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Cancels a run and its running steps (an ended run answers 409).")]
    public Task<string> CancelPipelineRun([Description("The run's id.")] string run_id, CancellationToken ct) =>
        api.SendAsync(HttpMethod.Post, $"{RunPath(run_id)}/cancel", null, ct);

    [McpServerTool(Name = "get_step_logs", Title = "Get a pipeline step's output", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Shows part of a run step's output (latest attempt unless one is named), as get_execution_logs does: tail_lines, after_seq, stderr_only, max_bytes.")]
    public async Task<string> GetStepLogs(
        [Description("The run's id.")] string run_id,
        [Description("The step's id in the pipeline.")] string step,
        [Description("Which attempt (default: the latest).")] int? attempt = null,
        [Description("Only the last this many lines.")] int? tail_lines = null,
        [Description("Only output after this seq.")] long? after_seq = null,
        [Description("Lines after after_seq to skip, as an answer that stopped inside a chunk says.")] long? skip_lines = null,
        [Description("Only stderr.")] bool stderr_only = false,
        [Description("The most bytes of output to show (default and most: the result cap).")] int? max_bytes = null,
        CancellationToken ct = default)
    {
        var request = LogRequest.Of(cap, tail_lines, after_seq, skip_lines, stderr_only, max_bytes);
        var path = $"{RunPath(run_id)}/steps/{JsonFields.Segment(step)}/logs{Query.Of(("attempt", attempt), ("after_seq", request.AfterSeq), ("follow", false))}";
        return cap.Tail(await LogView.RenderAsync($"step {step} of run {run_id}", api.LogsAsync(path, ct), request, ct), "ask for fewer tail_lines or a smaller max_bytes");
    }

    private static string RunPath(string runId) => $"api/pipeline-runs/{JsonFields.Segment(runId)}";
}
