using System.Net.WebSockets;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Debug.Data;
using LazyAf.Modules.Debug.Domain;
using LazyAf.Modules.Execution.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Debug.Features.Terminal;

/// <summary>
/// <c>GET /api/debug/{sid}/terminal?token=…&amp;cols=&amp;rows=</c>: a WebSocket to a bash on a pseudo-terminal in the paused
/// step's workspace with its environment, in this host or on the runner that holds it (frames: <see cref="TerminalRelay"/>).
/// A runner lost under an open terminal closes it saying so and aborts the session's run. The one-time token is its credential
/// (401 when unknown, spent or expired); one terminal at a time (409).
/// </summary>
internal static class TerminalEndpoint
{
    public const string Route = "/debug/{sid}/terminal";

    public static void MapTerminal(this IEndpointRouteBuilder api) =>
        api.MapGet(Route, HandleAsync)
            .WithName("OpenDebugTerminal")
            .WithSummary("WebSocket terminal in the paused step's environment, opened with a one-time token")
            .Produces(StatusCodes.Status101SwitchingProtocols);

    private static async Task<Results<EmptyHttpResult, UnauthorizedProblem, NotFoundProblem, ConflictProblem, ValidationProblem, UnprocessableProblem>> HandleAsync(
        HttpContext http, string sid, string? token, ushort? cols, ushort? rows, TerminalTokens tokens, SessionStore store, DebugSessions sessions,
        SessionTerminals terminals, ILoggerFactory loggers)
    {
        var ct = http.RequestAborted;
        // The token is spent by this attempt whatever follows: a token is never good twice.
        if (!tokens.TryUse(token, sid))
            return Problems.Unauthorized("Terminal token refused", "The terminal token is unknown, already used or expired; ask POST /api/debug/{sid}/terminal-token for a new one.", "terminal-token");
        if (!http.WebSockets.IsWebSocketRequest)
            return Problems.Invalid("upgrade", "The terminal speaks WebSocket only.");
        if (await store.FindAsync(sid, ct) is not { } row)
            return Problems.NotFound("debug session", sid);
        var connected = await sessions.ConnectAsync(sid, ct);
        if (connected.Refusal is { } refusal)
            return Problems.Conflict("Terminal not opened", $"Debug session {sid}: {refusal}.", new Dictionary<string, object?> { ["current_state"] = connected.Session?.Row.State });
        try
        {
            var paused = await PausedEnvironment.FindAsync(terminals, row, ct);
            if (paused.NotReady is { } notReady)
                return notReady;
            if (paused.Environment is not { } environment)
                return paused.NotPaused!;
            var closing = terminals.Open(sid);
            var logger = loggers.CreateLogger(typeof(TerminalEndpoint));
            using var socket = await http.WebSockets.AcceptWebSocketAsync();
            IStepTerminal terminal;
            try
            {
                terminal = await environment.OpenTerminalAsync(cols ?? 80, rows ?? 24, null, ct);
            }
            catch (IOException e)
            {
                // The upgrade is done: the client learns why from the close.
                logger.LogError(e, "Debug terminal of session {SessionId} could not start", sid);
                await socket.CloseAsync(WebSocketCloseStatus.InternalServerError, "the shell could not start: " + e.Message, CancellationToken.None);
                return TypedResults.Empty;
            }
            await using (terminal)
            {
                logger.LogInformation("Debug terminal opened for session {SessionId} in {Directory}", sid, environment.Where);
                await TerminalRelay.RunAsync(socket, terminal, environment.Lost, closing, ct);
            }
            if (environment.Lost.IsCompleted)
                await sessions.LostAsync(sid, await environment.Lost, CancellationToken.None);
            return TypedResults.Empty;
        }
        finally
        {
            await sessions.DisconnectAsync(sid, CancellationToken.None);
        }
    }
}
