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
/// <c>GET /api/debug/{sid}/terminal?token=…&amp;mode=shell|sidecar&amp;cols=&amp;rows=</c>: a WebSocket to a shell on a
/// pseudo-terminal, in this host or on the runner that holds the step (frames: <see cref="TerminalRelay"/>). <c>shell</c>
/// (the default): bash in the paused step's workspace with its environment, or a container of a docker step's image.
/// <c>sidecar</c>: a helper beside it with the workspace and none of the step's variables or secrets — bash at the
/// workspace's root, or for a docker step a container of the sidecar image with the workspace at <c>/workspace</c>; its
/// output is masked as the shell's. A runner lost under an open terminal closes it saying so and aborts the session's
/// run. The one-time token is its credential (401 when unknown, spent or expired); one terminal at a time (409). Any
/// other mode is 400 naming <c>mode</c>, checked before the token, which such a request leaves unspent.
/// </summary>
internal static class TerminalEndpoint
{
    public const string Route = "/debug/{sid}/terminal";

    public static void MapTerminal(this IEndpointRouteBuilder api) =>
        api.MapGet(Route, HandleAsync)
            .WithName("OpenDebugTerminal")
            .WithSummary("WebSocket terminal in the paused step's environment (mode=shell) or beside it with its workspace (mode=sidecar), opened with a one-time token")
            .Produces(StatusCodes.Status101SwitchingProtocols);

    private static async Task<Results<EmptyHttpResult, UnauthorizedProblem, NotFoundProblem, ConflictProblem, ValidationProblem, UnprocessableProblem>> HandleAsync(
        HttpContext http, string sid, string? token, string? mode, ushort? cols, ushort? rows, TerminalTokens tokens, SessionStore store, DebugSessions sessions,
        SessionTerminals terminals, ILoggerFactory loggers)
    {
        var ct = http.RequestAborted;
        // A malformed request is refused before the token is looked at: the client may send it again, fixed.
        if (TerminalModeName.Parse(mode) is not { } chosen)
            return Problems.Invalid("mode", TerminalModeName.Problem);
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
                terminal = await environment.OpenTerminalAsync(chosen, cols ?? 80, rows ?? 24, null, ct);
            }
            catch (IOException e)
            {
                // The upgrade is done: the client learns why from the close.
                logger.LogError(e, "Debug {Mode} terminal of session {SessionId} could not start", TerminalModeName.Of(chosen), sid);
                await socket.CloseAsync(WebSocketCloseStatus.InternalServerError, $"the {TerminalModeName.Of(chosen)} could not start: " + e.Message, CancellationToken.None);
                return TypedResults.Empty;
            }
            await using (terminal)
            {
                logger.LogInformation("Debug {Mode} terminal opened for session {SessionId} in {Directory}", TerminalModeName.Of(chosen), sid, environment.Where);
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
