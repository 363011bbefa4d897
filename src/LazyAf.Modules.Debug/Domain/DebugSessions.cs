using System.Collections.Concurrent;
using LazyAf.Kernel;
using LazyAf.Modules.Debug.Contracts;
using LazyAf.Modules.Debug.Data;
using LazyAf.Modules.Pipelines.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Debug.Domain;

/// <summary>How a request to change a session went: the session after it, or why it was refused (null session: not found).</summary>
internal sealed record SessionChange(DebugSession? Session, string? Refusal = null);

/// <summary>
/// Opens debug sessions when a run pauses and moves them: resume and abort act on the run through
/// <see cref="IPipelineDebugging"/>; a session past its time times out and aborts its run. Ending a session closes its
/// terminals and gives its workspace back. Changes to one session are serialised in this host.
/// </summary>
internal sealed class DebugSessions(
    SessionStore store, IPipelineDebugging pipelines, SessionTerminals terminals, IOptions<DebugOptions> options, TimeProvider clock, ILogger<DebugSessions> logger)
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new();

    public async Task OpenAsync(string runId, string stepId, bool afterFailure, int attempt, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var session = new DebugSession(new SessionRow
        {
            Id = Ids.New(), RunId = runId, StepId = stepId, AfterFailure = afterFailure, Attempt = afterFailure ? attempt : 0,
            State = EnumText.Of(DebugSessionState.Waiting), CreatedAt = now, ExpiresAt = now.AddSeconds(options.Value.TimeoutSeconds),
        });
        if (await store.InsertAsync(session, ct))
            logger.LogInformation("Debug session {SessionId} opened: run {RunId} paused {Where} step {StepId}", session.Row.Id, runId, afterFailure ? "after failed" : "before", stepId);
    }

    public Task<SessionChange> ResumeAsync(string id, CancellationToken ct) => EndAsync(id, "resumed", async row =>
        await pipelines.ResumeAsync(row.RunId, ct) is var change and not (PausedRunChange.Done or PausedRunChange.NotAllowed)
            ? $"the run could not be resumed ({EnumText.Of(change)})"
            : null, ct);

    public Task<SessionChange> AbortAsync(string id, CancellationToken ct) => EndAsync(id, "aborted", async row =>
        await pipelines.AbortAsync(row.RunId, "aborted from debug session " + row.Id, ct) is var change and not (PausedRunChange.Done or PausedRunChange.NotAllowed)
            ? $"the run could not be aborted ({EnumText.Of(change)})"
            : null, ct);

    /// <summary>The paused step's environment went by itself (its runner was lost): the session ends and its run is aborted.</summary>
    public Task<SessionChange> LostAsync(string id, string reason, CancellationToken ct) => EndAsync(id, reason, async row =>
    {
        await pipelines.AbortAsync(row.RunId, $"debug session {row.Id}: {reason}", ct);
        return null;
    }, ct);

    /// <summary>After a failure: the failed step runs again in its workspace, and the session ends (a new failure opens a new one).</summary>
    public Task<SessionChange> RerunStepAsync(string id, CancellationToken ct) => EndAsync(id, "the step is run again", async row =>
        AfterFailureOnly(row) ?? Refusal(await pipelines.RerunStepAsync(row.RunId, ct)), ct);

    /// <summary>After a failure: a person records the step as passed or failed; the run goes on from that outcome.</summary>
    public Task<SessionChange> MarkAsync(string id, bool passed, CancellationToken ct)
    {
        var outcome = passed ? "passed" : "failed";
        return EndAsync(id, $"the step was marked {outcome}", async row => AfterFailureOnly(row) ?? Refusal(
            await pipelines.MarkStepAsync(row.RunId, passed, $"marked {outcome} by hand from debug session {row.Id} (a person's decision, not the step's result)", ct)), ct);
    }

    private static string? AfterFailureOnly(SessionRow row) =>
        row.AfterFailure ? null : $"the run paused before step {row.StepId}, not after its failure; resume or abort it";

    private static string? Refusal(PausedRunChange change) => change switch
    {
        PausedRunChange.Done => null,
        PausedRunChange.NotAllowed => "the run is not paused after a failure",
        _ => $"the run could not be changed ({EnumText.Of(change)})",
    };

    /// <summary>Adds <paramref name="seconds"/> (default <c>Debug:TimeoutSeconds</c>) to the time left, up to <c>Debug:MaxSeconds</c> from the session's start.</summary>
    public Task<SessionChange> ExtendAsync(string id, int? seconds, CancellationToken ct) => ChangeAsync(id, session =>
    {
        if (session.IsOver)
            return Task.FromResult<string?>($"the session is {EnumText.Of(session.State)}");
        var cap = session.Row.CreatedAt.AddSeconds(options.Value.MaxSeconds);
        var wanted = Later(session.Row.ExpiresAt, clock.GetUtcNow()).AddSeconds(seconds ?? options.Value.TimeoutSeconds);
        session.Update(r => r with { ExpiresAt = wanted < cap ? wanted : cap });
        return Task.FromResult<string?>(null);
    }, ct);

    /// <summary>Times a session out if it is past its time: its run is aborted.</summary>
    public async Task TimeOutIfDueAsync(string id, CancellationToken ct)
    {
        var timedOut = false;
        await ChangeAsync(id, async session =>
        {
            if (session.Row.ExpiresAt > clock.GetUtcNow() || !session.CanFire(SessionTrigger.TimeOut))
                return "not due";
            await session.FireAsync(SessionTrigger.TimeOut, r => r with { EndedAt = clock.GetUtcNow(), EndReason = "timed out" });
            timedOut = true;
            return null;
        }, ct);
        if (!timedOut || await store.FindAsync(id, ct) is not { } row)
            return;
        await terminals.CloseAsync(id, "the debug session timed out; the run is aborted");
        await pipelines.AbortAsync(row.RunId, $"debug session {id} timed out", ct);
        logger.LogWarning("Debug session {SessionId} timed out; aborted run {RunId}", id, row.RunId);
    }

    /// <summary>Ends the open sessions of a run that ended by itself (cancelled elsewhere, failed).</summary>
    public async Task EndWithRunAsync(string runId, string reason, CancellationToken ct)
    {
        foreach (var open in (await store.OfRunAsync(runId, ct)).Where(r => !new DebugSession(r).IsOver))
            await EndAsync(open.Id, reason, _ => Task.FromResult<string?>(null), ct);
    }

    /// <summary>A terminal opened: waiting → connected; refused when the session is over or another terminal is open.</summary>
    public Task<SessionChange> ConnectAsync(string id, CancellationToken ct) => ChangeAsync(id, async session =>
    {
        if (!session.CanFire(SessionTrigger.Connect))
            return $"the session is {EnumText.Of(session.State)}, not waiting for a terminal";
        await session.FireAsync(SessionTrigger.Connect);
        return null;
    }, ct);

    /// <summary>The terminal closed: connected → waiting, unless the session ended meanwhile.</summary>
    public Task<SessionChange> DisconnectAsync(string id, CancellationToken ct) => ChangeAsync(id, async session =>
    {
        if (!session.CanFire(SessionTrigger.Disconnect))
            return "not connected";
        await session.FireAsync(SessionTrigger.Disconnect);
        return null;
    }, ct);

    private async Task<SessionChange> EndAsync(string id, string reason, Func<SessionRow, Task<string?>> onRun, CancellationToken ct)
    {
        var change = await ChangeAsync(id, async session =>
        {
            if (!session.CanFire(SessionTrigger.End))
                return $"the session is {EnumText.Of(session.State)}";
            if (await onRun(session.Row) is { } refused)
                return refused;
            await session.FireAsync(SessionTrigger.End, r => r with { EndedAt = clock.GetUtcNow(), EndReason = reason });
            return null;
        }, ct);
        if (change is { Session: { IsOver: true }, Refusal: null })
        {
            await terminals.CloseAsync(id, $"the debug session ended: {reason}");
            logger.LogInformation("Debug session {SessionId} ended: {Reason}", id, reason);
        }
        return change;
    }

    private async Task<SessionChange> ChangeAsync(string id, Func<DebugSession, Task<string?>> change, CancellationToken ct)
    {
        if (!Ids.IsValid(id))
            return new SessionChange(null);
        var gate = Gates.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (await store.FindAsync(id, ct) is not { } row)
                return new SessionChange(null);
            var session = new DebugSession(row);
            if (await change(session) is { } refusal)
                return new SessionChange(session, refusal);
            return await store.TryUpdateAsync(session, ct)
                ? new SessionChange(session)
                : new SessionChange(session, "the session changed meanwhile; try again");
        }
        finally
        {
            gate.Release();
        }
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
