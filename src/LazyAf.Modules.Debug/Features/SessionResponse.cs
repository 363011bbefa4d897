using LazyAf.Modules.Debug.Domain;

namespace LazyAf.Modules.Debug.Features;

/// <summary>
/// A debug session: the run paused before <c>step_id</c> (or after it failed, <c>after_failure</c>), its state, and when it
/// times out unless extended.
/// </summary>
internal sealed record SessionResponse(
    string Id, string RunId, string StepId, bool AfterFailure, string State, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? EndedAt, string? EndReason)
{
    public static SessionResponse From(SessionRow r) => new(r.Id, r.RunId, r.StepId, r.AfterFailure, r.State, r.CreatedAt, r.ExpiresAt, r.EndedAt, r.EndReason);
}
