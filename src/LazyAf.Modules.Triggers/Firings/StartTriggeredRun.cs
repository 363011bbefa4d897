using System.Text.Json;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Triggers.Contracts;
using LazyAf.Modules.Triggers.Data;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Triggers.Firings;

/// <summary>
/// Starts the run an accepted trigger asks for. The event may arrive more than once (a crash after the
/// start, before the delivery was recorded); the firing's dedup key makes Pipelines return the same run.
/// </summary>
internal sealed class StartTriggeredRun(FiringStore firings, IPipelineRuns runs, TimeProvider clock, ILogger<StartTriggeredRun> logger)
    : IIntegrationEventHandler<TriggerFired>
{
    public async Task HandleAsync(TriggerFired @event, EventContext context, CancellationToken ct)
    {
        if (await firings.FindAsync(@event.FiringId, ct) is not { } firing || firing.RunId is not null)
            return;
        var parameters = JsonSerializer.Deserialize<Dictionary<string, string>>(firing.Params) ?? [];
        var request = new PipelineRunRequest(firing.RepoId, firing.Pipeline, firing.Branch, firing.CommitSha, firing.Kind, parameters)
        {
            CardId = firing.CardId,
            DedupKey = firing.DedupKey,
            TriggerId = firing.Id,
        };
        var start = await runs.StartAsync(request, ct);
        await firings.SetRunAsync(firing.Id, start.RunId, clock.GetUtcNow(), ct);
        logger.LogInformation("Firing {FiringId} ({Kind}) {Outcome} run {RunId} of pipeline {Pipeline} on {Branch} at {CommitSha}",
            firing.Id, firing.Kind, start.Created ? "started" : "found its", start.RunId, firing.Pipeline, firing.Branch, firing.CommitSha);
    }
}
