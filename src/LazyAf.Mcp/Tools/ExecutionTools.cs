using System.ComponentModel;
using LazyAf.Mcp.Api;
using LazyAf.Mcp.Failures;
using LazyAf.Mcp.Logs;
using LazyAf.Mcp.Results;
using ModelContextProtocol.Server;

namespace LazyAf.Mcp.Tools;

/// <summary>
/// Step executions (what runs a card's attempt or a pipeline step): their state, their output in parts a model can
/// read (tail, after a seq, stderr only, a byte cap; a regex search), why they failed, cancelling them and answering
/// an agent's tool-permission requests.
/// </summary>
[McpServerToolType]
internal sealed class ExecutionTools(LazyAfApi api, ResultCap cap, FailureSummaries failures)
{
    [McpServerTool(Name = "get_execution", Title = "Get an execution", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Shows one step execution: state, exit code, error, test counts with failing tests and their messages, branch, commit, usage.")]
    public Task<string> GetExecution([Description("The execution's id.")] string execution_id, CancellationToken ct) =>
        api.GetAsync(ExecutionPath(execution_id), ct);

    [McpServerTool(Name = "get_execution_logs", Title = "Get an execution's output", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Shows part of an execution's output: its last tail_lines lines, or from after_seq on in pages, optionally stderr only, at most max_bytes.")]
    public async Task<string> GetExecutionLogs(
        [Description("The execution's id.")] string execution_id,
        [Description("Only the last this many lines (1 to 100000); without it the output is shown from after_seq on.")] int? tail_lines = null,
        [Description("Only output after this seq (each answer says the seq to go on from); default 0, the start.")] long? after_seq = null,
        [Description("Lines after after_seq to skip, as an answer that stopped inside a chunk says (default 0).")] long? skip_lines = null,
        [Description("Only stderr, not stdout and the runner's system lines.")] bool stderr_only = false,
        [Description("The most bytes of output to show (default and most: the result cap).")] int? max_bytes = null,
        CancellationToken ct = default)
    {
        var request = LogRequest.Of(cap, tail_lines, after_seq, skip_lines, stderr_only, max_bytes);
        var chunks = api.LogsAsync($"{ExecutionPath(execution_id)}/logs{Query.Of(("after_seq", request.AfterSeq), ("follow", false))}", ct);
        return cap.Tail(await LogView.RenderAsync($"execution {execution_id}", chunks, request, ct), "ask for fewer tail_lines or a smaller max_bytes");
    }

    [McpServerTool(Name = "search_execution_logs", Title = "Search an execution's output", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Finds the lines of an execution's output that match a regex, with their line numbers and context lines around them (like grep -n -C).")]
    public async Task<string> SearchExecutionLogs(
        [Description("The execution's id.")] string execution_id,
        [Description("A .NET regular expression, e.g. \"error|FAIL\".")] string pattern,
        [Description("Lines of context before and after each match (0 to 20, default 2).")] int context_lines = 2,
        [Description("The most matches to show (1 to 500, default 50).")] int max_matches = 50,
        [Description("Match regardless of case.")] bool ignore_case = false,
        [Description("Search stderr only.")] bool stderr_only = false,
        CancellationToken ct = default)
    {
        var request = new LogSearchRequest(pattern, ignore_case, Math.Clamp(context_lines, 0, 20), Math.Clamp(max_matches, 1, 500), stderr_only);
        LogSearch.Compile(request);
        var chunks = api.LogsAsync($"{ExecutionPath(execution_id)}/logs{Query.Of(("after_seq", 0), ("follow", false))}", ct);
        return await LogSearch.RenderAsync($"execution {execution_id}", chunks, request, ct);
    }

    [McpServerTool(Name = "get_failure_summary", Title = "Why did it fail", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Says in under 2,000 characters why a pipeline run, card or execution failed: the failing step, its failing tests with messages, and the last relevant output lines.")]
    public Task<string> GetFailureSummary(
        [Description("A pipeline run's id.")] string? run_id = null,
        [Description("A card's id (its latest attempt).")] string? card_id = null,
        [Description("An execution's id.")] string? execution_id = null,
        CancellationToken ct = default) => (run_id, card_id, execution_id) switch
        {
            ({ Length: > 0 } run, null, null) => failures.OfRunAsync(run, ct),
            (null, { Length: > 0 } card, null) => failures.OfCardAsync(card, ct),
            (null, null, { Length: > 0 } execution) => failures.OfExecutionAsync(execution, ct),
            _ => throw new ToolFailure("get_failure_summary takes exactly one of run_id, card_id and execution_id"),
        };

    [McpServerTool(Name = "cancel_execution", Title = "Cancel an execution", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Cancels a pending or running execution; its process tree or container is killed.")]
    public Task<string> CancelExecution([Description("The execution's id.")] string execution_id, CancellationToken ct) =>
        api.SendAsync(HttpMethod.Post, $"{ExecutionPath(execution_id)}/cancel", null, ct);

    [McpServerTool(Name = "list_approvals", Title = "List approval requests", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Lists agents' tool-permission requests (approval=true): one execution's, or without execution_id every execution's in a state (default pending), with card or run.")]
    public Task<string> ListApprovals(
        [Description("An agent execution's id: all its requests. Without it: every execution's requests in state.")] string? execution_id = null,
        [Description("Without execution_id, which requests: pending (default), allowed, denied or timed_out.")] string? state = null,
        CancellationToken ct = default) => execution_id is { Length: > 0 }
            ? api.GetAsync($"{ExecutionPath(execution_id)}/approvals", ct)
            : api.GetAsync($"api/approvals{Query.Of(("state", state ?? "pending"))}", ct);

    [McpServerTool(Name = "answer_approval", Title = "Answer an approval request", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Allows or denies a pending tool-permission request of an agent execution; the agent goes on at once.")]
    public Task<string> AnswerApproval(
        [Description("The agent execution's id.")] string execution_id,
        [Description("The request's id (request_id of list_approvals).")] string request_id,
        [Description("allow or deny.")] string decision,
        [Description("A message for the agent (why it was denied).")] string? message = null,
        CancellationToken ct = default) =>
        api.SendAsync(HttpMethod.Post, $"{ExecutionPath(execution_id)}/approvals/{JsonFields.Segment(request_id)}", Body.Of(("decision", decision), ("message", message)), ct);

    private static string ExecutionPath(string executionId) => $"api/executions/{JsonFields.Segment(executionId)}";
}
