using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Execution.Domain;
using LazyAf.Runner.Agents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Execution.Features.Approvals;

/// <summary>An approval as the API shows it.</summary>
internal sealed record ApprovalResponse(string RequestId, string ToolName, string Summary, string State, string? Message, string? DecidedBy, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt)
{
    public static ApprovalResponse From(ApprovalStore.ApprovalRow row) =>
        new(row.RequestId, row.ToolName, row.Summary, row.State, row.Message, row.DecidedBy, row.RequestedAt, row.DecidedAt);
}

/// <summary>An answer: <c>allow</c> or <c>deny</c>, with a message the agent sees.</summary>
internal sealed record ApprovalAnswer(string? Decision, string? Message = null);

/// <summary>
/// The approval gate of agent steps: list an execution's tool-permission requests, and answer a pending one.
/// The first answer wins; answering a decided request is a 409.
/// </summary>
internal static class ApprovalEndpoints
{
    public static void MapApprovals(this IEndpointRouteBuilder api)
    {
        api.MapGet("/{id}/approvals", ListAsync)
            .WithName("ListApprovals")
            .WithSummary("An agent execution's tool-permission requests: pending, allowed, denied or timed out");
        api.MapPost("/{id}/approvals/{requestId}", AnswerAsync)
            .WithName("AnswerApproval")
            .WithSummary("Allow or deny a pending tool-permission request; the agent continues at once");
    }

    private static async Task<Results<Ok<IReadOnlyList<ApprovalResponse>>, NotFoundProblem>> ListAsync(
        string id, ExecutionStore executions, ApprovalStore approvals, CancellationToken ct)
    {
        if (!Ids.IsValid(id) || await executions.FindAsync(id, ct) is null)
            return Problems.NotFound("execution", id);
        return TypedResults.Ok<IReadOnlyList<ApprovalResponse>>([.. (await approvals.ListAsync(id, ct)).Select(ApprovalResponse.From)]);
    }

    private static async Task<Results<Ok<ApprovalResponse>, ValidationProblem, NotFoundProblem, ConflictProblem>> AnswerAsync(
        string id, string requestId, ApprovalAnswer answer, ApprovalStore approvals, ExecutionApprovals desk, HttpContext http, CancellationToken ct)
    {
        if (answer.Decision is not ("allow" or "deny"))
            return Problems.Invalid("decision", "decision must be 'allow' or 'deny'.");
        if (!Ids.IsValid(id) || await approvals.FindAsync(id, requestId, ct) is not { } request)
            return Problems.NotFound("approval", $"{id}/{requestId}");
        if (!await desk.AnswerAsync(id, requestId, new ApprovalDecision(answer.Decision == "allow", answer.Message), Actor.Of(http), ct))
            return Problems.Conflict("Approval decided", $"Request {requestId} was already answered: {request.State}.",
                new Dictionary<string, object?> { ["current_state"] = (await approvals.FindAsync(id, requestId, ct))?.State });
        return TypedResults.Ok(ApprovalResponse.From((await approvals.FindAsync(id, requestId, ct))!));
    }
}
