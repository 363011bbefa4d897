using LazyAf.Kernel.Http;
using LazyAf.Modules.Debug.Domain;
using LazyAf.Modules.Debug.Features.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Debug.Features.FailedStep;

/// <summary>The outcome a person gives a failed step: <c>passed</c> or <c>failed</c>.</summary>
internal sealed record MarkStepRequest(string? Outcome);

/// <summary>
/// For a session opened after a step failed (<c>pause_on_failure</c>): <c>POST /api/debug/{sid}/rerun-step</c> runs the
/// step again in its workspace (the new result replaces the failure), <c>POST …/mark {outcome}</c> records the outcome by
/// hand and the run goes on from it. Both end the session; 409 when it did not pause after a failure or is over.
/// </summary>
internal static class FailedStepEndpoints
{
    public static void MapFailedStep(this IEndpointRouteBuilder api)
    {
        api.MapPost("/debug/{sid}/rerun-step", (string sid, DebugSessions sessions, CancellationToken ct) => SessionActionEndpoints.AnswerAsync(sid, sessions.RerunStepAsync(sid, ct)))
            .WithName("RerunDebugSessionStep")
            .WithSummary("Run the failed step again in its workspace; its new result replaces the failure");
        api.MapPost("/debug/{sid}/mark", MarkAsync)
            .WithName("MarkDebugSessionStep")
            .WithSummary("Record the failed step as passed or failed by hand, and let the run go on from it");
    }

    private static async Task<Results<Ok<SessionResponse>, NotFoundProblem, ConflictProblem, ValidationProblem>> MarkAsync(
        string sid, MarkStepRequest? request, DebugSessions sessions, CancellationToken ct)
    {
        if (request?.Outcome is not ("passed" or "failed"))
            return Problems.Invalid("outcome", "outcome must be 'passed' or 'failed'.");
        return await SessionActionEndpoints.AnswerAsync(sid, sessions.MarkAsync(sid, request.Outcome == "passed", ct)) switch
        {
            { Result: Ok<SessionResponse> ok } => ok,
            { Result: NotFoundProblem notFound } => notFound,
            { Result: ConflictProblem conflict } => conflict,
            _ => throw new InvalidOperationException("unexpected answer"),
        };
    }
}
