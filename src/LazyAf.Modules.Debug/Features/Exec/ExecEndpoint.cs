using LazyAf.Kernel.Http;
using LazyAf.Modules.Debug.Data;
using LazyAf.Modules.Debug.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Debug.Features.Exec;

/// <summary>
/// One command to run in the paused step's environment, how long it may take (60 s unless given; 1 to 600), and where:
/// <c>shell</c> (the default) or <c>sidecar</c>, as the terminal's modes.
/// </summary>
internal sealed record ExecRequest(string? Command, int? TimeoutSeconds, string? Mode);

/// <summary>
/// How the command went: its exit code (null when it was killed at its timeout, <c>timed_out</c>, or its terminal ended
/// otherwise, <c>reason</c>), and its output — stdout and stderr interleaved, secrets masked, line ends LF, only the
/// last 64 KiB when <c>truncated</c>.
/// </summary>
internal sealed record ExecResponse(int? ExitCode, string Output, bool Truncated, bool TimedOut, string? Reason);

/// <summary>
/// <c>POST /api/debug/{sid}/exec {command, timeout_seconds?, mode?}</c>: for agents, runs one command non-interactively where the
/// session's shell would run (the paused step's workspace and variables, here or on its runner; a container of the
/// step's image for a docker step), or with <c>mode: sidecar</c> where its sidecar terminal would (the workspace, none of
/// the step's variables), and answers when it ends. It leaves the session's state alone, so it runs beside an
/// open terminal. 404 unknown session; 409 once the session or its run's pause is over; 400 an empty command, a
/// timeout out of range or an unknown mode.
/// </summary>
internal static class ExecEndpoint
{
    public const int DefaultTimeoutSeconds = 60;
    public const int MaxTimeoutSeconds = 600;
    private const int MaxCommandLength = 16 * 1024;

    public static void MapExec(this IEndpointRouteBuilder api) =>
        api.MapPost("/debug/{sid}/exec", HandleAsync)
            .WithName("ExecInDebugSession")
            .WithSummary("Run one command in the paused step's environment and return its exit code and (masked, capped) output");

    private static async Task<Results<Ok<ExecResponse>, NotFoundProblem, ConflictProblem, ValidationProblem, UnprocessableProblem>> HandleAsync(
        string sid, ExecRequest? request, SessionStore store, DebugSessions sessions, SessionTerminals terminals, ILoggerFactory loggers, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request?.Command) || request.Command.Length > MaxCommandLength)
            return Problems.Invalid("command", $"command must be a shell command line of 1 to {MaxCommandLength} characters.");
        if (request.TimeoutSeconds is < 1 or > MaxTimeoutSeconds)
            return Problems.Invalid("timeout_seconds", $"timeout_seconds must be 1 to {MaxTimeoutSeconds}.");
        if (TerminalModeName.Parse(request.Mode) is not { } mode)
            return Problems.Invalid("mode", TerminalModeName.Problem);
        if (!Kernel.Ids.IsValid(sid) || await store.FindAsync(sid, ct) is not { } row)
            return Problems.NotFound("debug session", sid);
        var session = new DebugSession(row);
        if (session.IsOver)
            return Problems.Conflict("Command not run", $"Debug session {sid} is {row.State}: nothing is paused to run it in.",
                new Dictionary<string, object?> { ["current_state"] = row.State });
        var paused = await PausedEnvironment.FindAsync(terminals, row, ct);
        if (paused.NotReady is { } notReady)
            return notReady;
        if (paused.Environment is not { } environment)
            return paused.NotPaused!;
        var timeout = TimeSpan.FromSeconds(request.TimeoutSeconds ?? DefaultTimeoutSeconds);
        var logger = loggers.CreateLogger(typeof(ExecEndpoint));
        StepCommandResult result;
        try
        {
            result = await StepCommand.RunAsync(environment, mode, request.Command, timeout, terminals.Open(sid).Closed, ct);
        }
        catch (IOException e)
        {
            return Problems.Unprocessable("Command not started", "the command's shell could not start: " + e.Message, "debug-exec");
        }
        logger.LogInformation("Debug session {SessionId} ran a command ({Mode}) in {Directory}: exit {ExitCode}, timed out {TimedOut}",
            sid, TerminalModeName.Of(mode), environment.Where, result.ExitCode, result.TimedOut);
        if (environment.Lost.IsCompleted)
            await sessions.LostAsync(sid, await environment.Lost, CancellationToken.None);
        return TypedResults.Ok(new ExecResponse(result.ExitCode, result.Output, result.Truncated, result.TimedOut, result.Reason));
    }
}
