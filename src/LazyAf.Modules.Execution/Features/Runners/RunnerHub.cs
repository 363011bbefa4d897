using System.Collections.Concurrent;
using LazyAf.Modules.Execution.Domain;

namespace LazyAf.Modules.Execution.Features.Runners;

/// <summary>
/// The remote runners this host knows in this life: one <see cref="RunnerSession"/> per runner that connected since
/// the host started, kept while the runner is away so its steps can wait for it. Each is an executor the router sees
/// beside the local one.
/// </summary>
internal sealed class RunnerHub(RunnerSessionServices services)
{
    private readonly ConcurrentDictionary<string, RunnerSession> _sessions = new(StringComparer.Ordinal);

    /// <summary>Raised when a runner connects or frees a slot, so pending work is routed at once.</summary>
    public event Action? SlotFreed;

    public IReadOnlyCollection<RunnerSession> Sessions => [.. _sessions.Values];

    public RunnerSession? Find(string? runnerId) => runnerId is not null && _sessions.TryGetValue(runnerId, out var session) ? session : null;

    /// <summary>Gives the runner of <paramref name="hello"/> its new stream, welcomed; its session is made on its first connection.</summary>
    public async Task<RunnerSession> AttachAsync(RemoteRunnerRow hello, IReadOnlyCollection<string> claimed, IReadOnlyDictionary<string, string> stepTokens, RunnerStream stream, Protocol.V1.Welcome welcome)
    {
        var session = _sessions.GetOrAdd(hello.Id, _ => Created(hello));
        await session.AttachAsync(hello, claimed, stepTokens, stream, welcome);
        return session;
    }

    /// <summary>
    /// At start-up, for the executions a runner held when the host stopped: its session as it is before the runner
    /// connects again (disconnected); null when the runner is unknown (revoked meanwhile).
    /// </summary>
    public async Task<RunnerSession?> RestoreAsync(string runnerId, CancellationToken ct)
    {
        if (Find(runnerId) is { } known)
            return known;
        if (await services.Runners.FindAsync(runnerId, ct) is not { } row)
            return null;
        return _sessions.GetOrAdd(runnerId, _ => Created(row with { State = "disconnected" }));
    }

    private RunnerSession Created(RemoteRunnerRow row)
    {
        var created = new RunnerSession(services, new RemoteRunner(row));
        created.SlotFreed += () => SlotFreed?.Invoke();
        return created;
    }

    /// <summary>Forgets a revoked runner: its stream is closed and its steps fail.</summary>
    public async Task RevokeAsync(string runnerId)
    {
        if (!_sessions.TryRemove(runnerId, out var session))
            return;
        // Not disposed: the revoked stream's call still detaches through the session's lock as it ends (a disposed lock
        // made that call fail with UNKNOWN instead of PERMISSION_DENIED).
        await session.RevokeAsync();
    }

    /// <summary>Declares dead every runner silent for longer than the dead window.</summary>
    public async Task SweepAsync(DateTimeOffset now)
    {
        foreach (var session in _sessions.Values)
            await session.DieIfSilentAsync(now - services.Options.DeadAfter);
    }
}
