using System.ComponentModel;
using LazyAf.Mcp.Api;
using ModelContextProtocol.Server;

namespace LazyAf.Mcp.Tools;

/// <summary>Remote runners: who is connected with which labels, and draining one.</summary>
[McpServerToolType]
internal sealed class RunnerTools(LazyAfApi api)
{
    [McpServerTool(Name = "list_runners", Title = "List runners", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Lists the registered remote runners: labels, step kinds, capacity, state, last heartbeat and what each runs now.")]
    public Task<string> ListRunners(CancellationToken ct) => api.GetAsync("api/runners", ct);

    [McpServerTool(Name = "drain_runner", Title = "Drain a runner", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Drains a runner: it takes no new work, finishes what it runs, and disconnects.")]
    public Task<string> DrainRunner([Description("The runner's id.")] string runner_id, CancellationToken ct) =>
        api.SendAsync(HttpMethod.Post, $"api/runners/{JsonFields.Segment(runner_id)}/drain", null, ct);
}
