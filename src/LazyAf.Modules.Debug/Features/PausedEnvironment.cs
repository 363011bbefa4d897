using LazyAf.Kernel.Http;
using LazyAf.Modules.Debug.Domain;
using LazyAf.Modules.Execution.Contracts;

namespace LazyAf.Modules.Debug.Features;

/// <summary>
/// The environment a session's run is paused in, for the terminal and exec alike — or why there is none: not ready
/// (422: it could not be made) or not paused any more (409).
/// </summary>
internal sealed record PausedEnvironment(IStepEnvironment? Environment, UnprocessableProblem? NotReady, ConflictProblem? NotPaused)
{
    public static async Task<PausedEnvironment> FindAsync(SessionTerminals terminals, SessionRow session, CancellationToken ct)
    {
        try
        {
            return await terminals.EnvironmentAsync(session, ct) is { } environment
                ? new PausedEnvironment(environment, null, null)
                : new PausedEnvironment(null, null, Problems.Conflict("Run not paused", $"The run of debug session {session.Id} is no longer paused."));
        }
        catch (InvalidOperationException e)
        {
            return new PausedEnvironment(null, Problems.Unprocessable("Step environment not ready", e.Message, "debug-environment"), null);
        }
    }
}
