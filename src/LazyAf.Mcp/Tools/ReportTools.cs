using System.ComponentModel;
using LazyAf.Mcp.Api;
using ModelContextProtocol.Server;

namespace LazyAf.Mcp.Tools;

/// <summary>Reports: a repo's tests across runs (flaky ones, one test's history) and the artifacts a step kept.</summary>
[McpServerToolType]
internal sealed class ReportTools(LazyAfApi api)
{
    [McpServerTool(Name = "list_tests", Title = "List a repo's tests", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Lists a repo's tests across runs, most failures first: runs, pass rate, last failure, median duration, flaky and quarantined; flaky=true for the flaky ones.")]
    public async Task<string> ListTests(
        [Description("The repo's id or name.")] string repo,
        [Description("Only the flaky tests.")] bool flaky = false,
        [Description("The most tests to list (1 to 1000, default 100).")] int? limit = null,
        CancellationToken ct = default) =>
        await api.GetAsync($"api/repos/{await Repos.IdAsync(api, repo, ct)}/tests{Query.Of(("flaky", flaky ? true : null), ("limit", limit))}", ct);

    [McpServerTool(Name = "get_test_history", Title = "Get a test's history", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Shows one test of a repo and its results, newest first: outcome, duration, message, branch, commit and the execution it ran in.")]
    public async Task<string> GetTestHistory(
        [Description("The repo's id or name.")] string repo,
        [Description("The test's full name, as list_tests names it (e.g. Cart.totals_include_tax).")] string test,
        [Description("The most results to show (1 to 1000, default 100).")] int? limit = null,
        CancellationToken ct = default) =>
        await api.GetAsync($"api/repos/{await Repos.IdAsync(api, repo, ct)}/tests/{JsonFields.Segment(test)}{Query.Of(("limit", limit))}", ct);

    [McpServerTool(Name = "list_artifacts", Title = "List an execution's artifacts", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Lists the artifacts a step kept (its artifacts globs): name, size and sha256; a pipeline step's execution id is in get_pipeline_run.")]
    public Task<string> ListArtifacts([Description("The execution's id.")] string execution_id, CancellationToken ct) =>
        api.GetAsync($"api/executions/{JsonFields.Segment(execution_id)}/artifacts", ct);
}
