using System.ComponentModel;
using LazyAf.Mcp.Api;
using LazyAf.Mcp.Results;
using ModelContextProtocol.Server;

namespace LazyAf.Mcp.Tools;

/// <summary>The playground: an agent run once on a throw-away branch, to try an agent, a model or agent files.</summary>
[McpServerToolType]
internal sealed class PlaygroundTools(LazyAfApi api)
{
    [McpServerTool(Name = "playground_run", Title = "Try an agent", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Runs an agent once on a throw-away branch from a branch's tip; returns at once with the run id (follow with wait kind=playground_run, then playground_result).")]
    public async Task<string> PlaygroundRun(
        [Description("The repo's id or name.")] string repo,
        [Description("The agent kind: claude-code, gemini, codex or command.")] string agent,
        [Description("What the agent should do.")] string task,
        [Description("The model to ask for.")] string? model = null,
        [Description("The branch to start from (default: the default branch).")] string? branch = null,
        [Description("Agent files to give the agent.")] string[]? agent_files = null,
        [Description("Stop it after this many seconds.")] int? timeout_seconds = null,
        CancellationToken ct = default)
    {
        var body = Body.Of(("agent", agent), ("task", task), ("model", model), ("branch", branch), ("agent_files", agent_files), ("timeout_seconds", timeout_seconds));
        var run = await api.SendJsonAsync(HttpMethod.Post, $"api/repos/{await Repos.IdAsync(api, repo, ct)}/playground/runs", body, ct);
        return $"playground run {run.Str("id")} ({run.Str("agent")} on {run.Str("base_branch")}) is {run.Str("state")}: execution {run.Str("execution_id")}, work branch {run.Str("work_branch")}.\n"
            + $"It runs in the background: wait kind=playground_run id={run.Str("id")} follows it; playground_result id={run.Str("id")} shows what it did.";
    }

    [McpServerTool(Name = "playground_result", Title = "Get a playground run's result", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Shows a playground run: state, usage and cost, and once it succeeded the diff it made.")]
    public async Task<string> PlaygroundResult([Description("The playground run's id.")] string playground_run_id, CancellationToken ct)
    {
        var path = $"api/playground/runs/{JsonFields.Segment(playground_run_id)}";
        var run = await api.GetJsonAsync(path, ct);
        var text = run.ToJsonString();
        if (run.Str("state") != "succeeded" || run.Str("result_sha") is null)
            return text;
        return text + "\n" + DiffText.Of($"playground run {playground_run_id}", await api.GetJsonAsync($"{path}/diff", ct));
    }
}
