using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Debug.Data;
using LazyAf.Modules.Debug.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Debug.Features.Terminal;

/// <summary>A token that opens the session's terminal once: <c>GET /api/debug/{sid}/terminal?token=…</c> before it expires.</summary>
internal sealed record TerminalTokenResponse(string Token, DateTimeOffset ExpiresAt, string Url);

/// <summary><c>POST /api/debug/{sid}/terminal-token</c>: a one-time token for the session's terminal WebSocket; 409 once the session is over.</summary>
internal static class TerminalTokenEndpoint
{
    public static void MapTerminalToken(this IEndpointRouteBuilder api) =>
        api.MapPost("/debug/{sid}/terminal-token", HandleAsync)
            .WithName("CreateDebugTerminalToken")
            .WithSummary("A one-time token that opens the debug session's terminal");

    private static async Task<Results<Ok<TerminalTokenResponse>, NotFoundProblem, ConflictProblem>> HandleAsync(
        string sid, SessionStore store, TerminalTokens tokens, CancellationToken ct)
    {
        if (!Ids.IsValid(sid) || await store.FindAsync(sid, ct) is not { } row)
            return Problems.NotFound("debug session", sid);
        var session = new DebugSession(row);
        if (session.IsOver)
            return Problems.Conflict("Debug session over", $"Debug session {sid} is {row.State}; it has no terminal.",
                new Dictionary<string, object?> { ["current_state"] = row.State });
        var (token, expires) = tokens.Issue(sid);
        return TypedResults.Ok(new TerminalTokenResponse(token, expires, $"/api/debug/{sid}/terminal?token={token}"));
    }
}
