using LazyAf.Modules.Debug.Data;
using LazyAf.Modules.Debug.Domain;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Debug.Handlers;

/// <summary>
/// Once a second, times out the sessions past their time (aborting their runs). At start-up, sessions left
/// <c>connected</c> by the last host go back to <c>waiting</c>: their terminals died with it.
/// </summary>
internal sealed class SessionTimeouts(SessionStore store, DebugSessions sessions, TimeProvider clock, ILogger<SessionTimeouts> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var open in await store.OpenAsync(cancellationToken))
            await sessions.DisconnectAsync(open.Id, cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, clock);
        while (await WaitAsync(timer, stoppingToken))
        {
            try
            {
                var now = clock.GetUtcNow();
                foreach (var due in (await store.OpenAsync(stoppingToken)).Where(s => s.ExpiresAt <= now))
                    await sessions.TimeOutIfDueAsync(due.Id, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Timing out debug sessions failed; retrying");
            }
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
