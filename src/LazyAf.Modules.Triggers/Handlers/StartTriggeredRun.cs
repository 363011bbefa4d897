using System.Text.Json;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Triggers.Contracts;
using LazyAf.Modules.Triggers.Data;
using LazyAf.Modules.Triggers.Domain;
using LazyAf.Modules.Triggers.Features.RunActions;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Triggers.Handlers;

/// <summary>
/// Starts the run an accepted trigger asks for. The event may arrive more than once (a crash after the
/// start, before the delivery was recorded); the firing's dedup key makes Pipelines return the same run.
/// </summary>
internal sealed class StartTriggeredRun(FiringStore firings, IPipelineRuns runs, TriggerActions actions, TimeProvider clock, ILogger<StartTriggeredRun> logger)
    : IIntegrationEventHandler<TriggerFired>
{
    public async Task HandleAsync(TriggerFired @event, EventContext context, CancellationToken ct)
    {
        if (await firings.FindAsync(@event.FiringId, ct) is not { } firing || firing.RunId is not null || firing.Action is not null)
            return;
        var parameters = JsonSerializer.Deserialize<Dictionary<string, string>>(firing.Params) ?? [];
        var request = new PipelineRunRequest(firing.RepoId, firing.Pipeline, firing.Branch, firing.CommitSha, firing.Kind, parameters)
        {
            CardId = firing.CardId,
            DedupKey = firing.DedupKey,
            TriggerId = firing.Id,
        };
        PipelineRunStart start;
        try
        {
            start = await runs.StartAsync(request, ct);
        }
        catch (PipelineRunRefusedException refused)
        {
            // Retrying cannot help (the pipeline or commit is not there); the trigger's on_fail says what the card gets.
            var done = await actions.ApplyAsync(firing, TriggerAction.Parse(firing.OnFail), $"the run was refused: {refused.Message}", null, ct);
            await firings.SetActionAsync(firing.Id, done, clock.GetUtcNow(), ct);
            logger.LogWarning("Firing {FiringId}: pipeline {Pipeline} refused the run ({Reason}); {Action}", firing.Id, firing.Pipeline, refused.Message, done);
            return;
        }
        await firings.SetRunAsync(firing.Id, start.RunId, clock.GetUtcNow(), ct);
        logger.LogInformation("Firing {FiringId} ({Kind}) {Outcome} run {RunId} of pipeline {Pipeline} on {Branch} at {CommitSha}",
            firing.Id, firing.Kind, start.Created ? "started" : "found its", start.RunId, firing.Pipeline, firing.Branch, firing.CommitSha);
    }
}
