using LazyAf.Modules.Triggers.Features.Schedules;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Triggers.Handlers;

/// <summary>
/// Evaluates schedules at start (so a slot missed while the host was down fires now, once) and then at every
/// minute boundary of the host's clock, cron's resolution.
/// </summary>
internal sealed class ScheduleLoop(ScheduleEvaluator evaluator, TimeProvider clock, ILogger<ScheduleLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await evaluator.EvaluateAsync(stoppingToken);
                var now = clock.GetUtcNow();
                var nextMinute = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMinute)).AddMinutes(1);
                await Task.Delay(nextMinute - now, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Evaluating schedules failed; trying again in a minute");
                await Task.Delay(TimeSpan.FromMinutes(1), clock, stoppingToken);
            }
        }
    }
}
