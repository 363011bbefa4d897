using LazyAf.Kernel.Http;
using LazyAf.Modules.Execution.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Execution.Features.Approvals;

/// <summary>
/// A request in the queue, with the execution it stops and what that execution is for: <c>card_id</c> when a card's
/// attempt asks (kind <c>card</c>), <c>run_id</c> when a pipeline run's step asks (kind <c>pipeline_step</c>).
/// </summary>
internal sealed record QueuedApprovalResponse(
    string ExecutionId, string Kind, string? SubjectId, string? CardId, string? RunId, string RepoId, string RequestId, string ToolName, string Summary,
    string State, string? Message, string? DecidedBy, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt)
{
    public static QueuedApprovalResponse From(ApprovalStore.QueuedApproval row) => new(
        row.ExecutionId, row.Kind, row.SubjectId, row.Kind == "card" ? row.SubjectId : null, row.Kind == "pipeline_step" ? row.SubjectId : null,
        row.RepoId, row.RequestId, row.ToolName, row.Summary, row.State, row.Message, row.DecidedBy, row.RequestedAt, row.DecidedAt);
}

/// <summary>
/// <c>GET /api/approvals?state=pending</c>: the tool-permission requests of every execution in one state (pending by
/// default), so a person or an MCP client can answer what waits without knowing which execution asks.
/// </summary>
internal static class ApprovalQueueEndpoint
{
    private const int DefaultLimit = 200;
    private static readonly string[] States = ["pending", "allowed", "denied", "timed_out"];

    public static void MapApprovalQueue(this IEndpointRouteBuilder api) =>
        api.MapGet("/api/approvals", HandleAsync)
            .WithTags("Executions")
            .WithName("ListApprovalQueue")
            .WithSummary("Tool-permission requests across all executions in one state (default pending: pending, allowed, denied, timed_out), " +
                         "oldest first, each with its execution, card or run; a page at a time (limit, default 200; the next page is in the Link header)");

    private static async Task<Results<Ok<List<QueuedApprovalResponse>>, ValidationProblem>> HandleAsync(
        string? state, string? cursor, string? limit, HttpResponse response, ApprovalStore approvals, CancellationToken ct)
    {
        state ??= "pending";
        if (!States.Contains(state))
            return Problems.Invalid("state", $"state must be one of {string.Join(", ", States)}.");
        if (!Paging.TryRead(cursor, limit, DefaultLimit, out var page, out var problem))
            return problem!;
        var rows = Paging.Cut(await approvals.InStateAsync(state, page, ct), page, r => r.Seq, response);
        return TypedResults.Ok(rows.Select(r => QueuedApprovalResponse.From(r.Approval)).ToList());
    }
}
