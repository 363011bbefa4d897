using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Execution.Features.Runners;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Execution.Handlers;

/// <summary>
/// Once a second, declares dead every runner silent for longer than <c>Runners:DeadAfter</c>, failing its steps
/// "runner lost". At start-up first marks every runner disconnected: none has a stream to this host yet.
/// </summary>
internal sealed class RunnerWatchdog(RunnerHub hub, RunnerStore runners, TimeProvider clock, ILogger<RunnerWatchdog> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await runners.DisconnectAllAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, clock);
        while (await WaitAsync(timer, stoppingToken))
        {
            try
            {
                await hub.SweepAsync(clock.GetUtcNow());
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Checking runners' heartbeats failed; retrying");
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
