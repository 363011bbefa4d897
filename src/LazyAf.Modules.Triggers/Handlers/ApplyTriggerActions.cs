using LazyAf.Kernel.Events;
using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Triggers.Data;
using LazyAf.Modules.Triggers.Domain;
using LazyAf.Modules.Triggers.Features.RunActions;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Triggers.Handlers;

/// <summary>
/// When a triggered run ends, its trigger's <c>on_pass</c> (passed) or <c>on_fail</c> (failed) is applied once;
/// a cancelled run is left to the person who cancelled it. Redelivery finds the action recorded and stops.
/// </summary>
internal sealed class ApplyTriggerActions(FiringStore firings, TriggerActions actions, TimeProvider clock, ILogger<ApplyTriggerActions> logger)
    : IIntegrationEventHandler<PipelineRunUpdated>
{
    public async Task HandleAsync(PipelineRunUpdated @event, EventContext context, CancellationToken ct)
    {
        var run = @event.Run;
        if (run.State is not (PipelineRunState.Passed or PipelineRunState.Failed or PipelineRunState.Cancelled))
            return;
        var firing = run.TriggerId is { } triggerId ? await firings.FindAsync(triggerId, ct) : null;
        firing ??= await firings.FindByRunAsync(run.Id, ct);
        if (firing is null || firing.Action is not null)
            return;

        var asked = run.State switch
        {
            PipelineRunState.Passed => firing.OnPass,
            PipelineRunState.Failed => firing.OnFail,
            _ => TriggerAction.Nothing,
        };
        var outcome = $"run {run.Id} {Kernel.EnumText.Of(run.State)}{(run.Error is { } error ? $": {error}" : "")}";
        var done = await actions.ApplyAsync(firing, TriggerAction.Parse(asked), outcome, run.HeadSha, ct);
        await firings.SetActionAsync(firing.Id, done, clock.GetUtcNow(), ct);
        logger.LogInformation("Run {RunId} of pipeline {Pipeline} ended {State}; {Action}: {Outcome}", run.Id, run.Pipeline, run.State, asked, done);
    }
}
