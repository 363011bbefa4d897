using LazyAf.Kernel.Events;
using LazyAf.Modules.Pipelines.Data;
using LazyAf.Modules.Pipelines.Domain;

namespace LazyAf.Modules.Pipelines.Handlers;

/// <summary>
/// A step ended on a <c>trigger:pipeline:{name}</c> route: published in the transaction that saved the step's end,
/// so the run it asks for is started at least once, retried through the outbox like every other trigger.
/// </summary>
/// <param name="RunId">The run whose step took the route.</param>
/// <param name="RepoId">Its repo.</param>
/// <param name="StepId">The step.</param>
/// <param name="Pipeline">The pipeline to start.</param>
[IntegrationEvent("pipeline_run.route_triggered")]
internal sealed record PipelineRouteTriggered(string RunId, string RepoId, string StepId, string Pipeline) : IIntegrationEvent
{
    public IReadOnlyList<string> Topics() => [$"repo:{RepoId}", $"pipeline_run:{RunId}"];
}

/// <summary>Starts the run a route asked for; a redelivery finds it by its dedup key and starts nothing more.</summary>
internal sealed class StartRoutedRun(RunStore runs, RunRoutes routes) : IIntegrationEventHandler<PipelineRouteTriggered>
{
    public async Task HandleAsync(PipelineRouteTriggered @event, EventContext context, CancellationToken ct)
    {
        // Gone with its repo: there is nothing to trigger from.
        if (await runs.FindAsync(@event.RunId, ct) is not { } run)
            return;
        await routes.TriggerAsync(run, @event.StepId, @event.Pipeline, ct);
    }
}
