using LazyAf.Kernel.Events;

namespace LazyAf.Modules.Triggers.Contracts;

/// <summary>
/// A trigger was accepted: a pipeline run will start for it (once, even across a crash). Published in the
/// transaction that records the trigger; its handler starts the run.
/// </summary>
/// <param name="FiringId">The accepted trigger's id (also the run's <c>trigger_id</c>).</param>
/// <param name="RepoId">The repo.</param>
/// <param name="Pipeline">The pipeline's name.</param>
/// <param name="Kind"><c>card_complete</c>, <c>push</c>, <c>webhook</c> or <c>schedule</c>.</param>
/// <param name="Branch">The branch the run builds.</param>
/// <param name="CommitSha">The exact commit the run builds.</param>
/// <param name="CardId">The card whose branch it is, for <c>card_complete</c>.</param>
[IntegrationEvent("trigger.fired")]
public sealed record TriggerFired(string FiringId, string RepoId, string Pipeline, string Kind, string Branch, string CommitSha, string? CardId) : IIntegrationEvent
{
    /// <inheritdoc />
    public IReadOnlyList<string> Topics() => CardId is null ? [$"repo:{RepoId}"] : [$"repo:{RepoId}", $"card:{CardId}"];
}
