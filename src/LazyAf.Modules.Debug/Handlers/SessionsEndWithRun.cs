using LazyAf.Kernel;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Debug.Domain;
using LazyAf.Modules.Pipelines.Contracts;

namespace LazyAf.Modules.Debug.Handlers;

/// <summary>A run that ended (cancelled through its own endpoint, say) ends its open sessions, closing their terminals.</summary>
internal sealed class SessionsEndWithRun(DebugSessions sessions) : IIntegrationEventHandler<PipelineRunUpdated>
{
    public Task HandleAsync(PipelineRunUpdated @event, EventContext context, CancellationToken ct) =>
        @event.Run is { State: PipelineRunState.Passed or PipelineRunState.Failed or PipelineRunState.Cancelled } run
            ? sessions.EndWithRunAsync(run.Id, $"the run ended {EnumText.Of(run.State)}", ct)
            : Task.CompletedTask;
}
