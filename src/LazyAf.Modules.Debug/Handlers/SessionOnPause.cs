using LazyAf.Kernel.Events;
using LazyAf.Modules.Debug.Domain;
using LazyAf.Modules.Pipelines.Contracts;

namespace LazyAf.Modules.Debug.Handlers;

/// <summary>A debug re-run that pauses before a step, or after a failed attempt, opens a session for it (once, however often the pause is delivered).</summary>
internal sealed class SessionOnPause(DebugSessions sessions) : IIntegrationEventHandler<PipelineRunPaused>
{
    public Task HandleAsync(PipelineRunPaused @event, EventContext context, CancellationToken ct) =>
        sessions.OpenAsync(@event.Run.Id, @event.StepId, @event.AfterFailure, @event.Attempt, ct);
}
