using LazyAf.Kernel.Http;
using LazyAf.Modules.Debug.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Debug.Features.Sessions;

/// <summary>How much longer a session should wait; without it, <c>Debug:TimeoutSeconds</c>.</summary>
internal sealed record ExtendSessionRequest(int? Seconds);

/// <summary>
/// <c>POST /api/debug/{sid}/resume</c> (the run goes on with the paused step), <c>…/abort</c> (the run is cancelled) and
/// <c>…/extend</c> (more time, at most <c>Debug:MaxSeconds</c> from the session's start). 409 once the session is over.
/// </summary>
internal static class SessionActionEndpoints
{
    public static void MapSessionActions(this IEndpointRouteBuilder api)
    {
        api.MapPost("/debug/{sid}/resume", (string sid, DebugSessions sessions, CancellationToken ct) => AnswerAsync(sid, sessions.ResumeAsync(sid, ct)))
            .WithName("ResumeDebugSession")
            .WithSummary("End the session and let the paused run start the step");
        api.MapPost("/debug/{sid}/abort", (string sid, DebugSessions sessions, CancellationToken ct) => AnswerAsync(sid, sessions.AbortAsync(sid, ct)))
            .WithName("AbortDebugSession")
            .WithSummary("End the session and cancel its run");
        api.MapPost("/debug/{sid}/extend", ExtendAsync)
            .WithName("ExtendDebugSession")
            .WithSummary("Give the session more time before it times out (capped by Debug:MaxSeconds)");
    }

    private static async Task<Results<Ok<SessionResponse>, NotFoundProblem, ConflictProblem, ValidationProblem>> ExtendAsync(
        string sid, ExtendSessionRequest? request, DebugSessions sessions, CancellationToken ct)
    {
        if (request?.Seconds is < 1)
            return Problems.Invalid("seconds", "seconds must be at least 1.");
        var answer = await AnswerAsync(sid, sessions.ExtendAsync(sid, request?.Seconds, ct));
        return answer.Result switch
        {
            Ok<SessionResponse> ok => ok,
            NotFoundProblem notFound => notFound,
            ConflictProblem conflict => conflict,
            _ => throw new InvalidOperationException("unexpected answer"),
        };
    }

    internal static async Task<Results<Ok<SessionResponse>, NotFoundProblem, ConflictProblem>> AnswerAsync(string sid, Task<SessionChange> changing) =>
        await changing switch
        {
            { Session: null } => Problems.NotFound("debug session", sid),
            { Refusal: { } refusal, Session: { } session } => Problems.Conflict("Debug session not changed", $"Debug session {sid}: {refusal}.",
                new Dictionary<string, object?> { ["current_state"] = session.Row.State }),
            { Session: { } session } => TypedResults.Ok(SessionResponse.From(session.Row)),
        };
}
