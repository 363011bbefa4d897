using LazyAf.Kernel.Events;

namespace LazyAf.Modules.Reports.Contracts;

/// <summary>A test of a repo was quarantined (its failures stop failing steps) or released.</summary>
/// <param name="RepoId">The repo.</param>
/// <param name="Test">The test's full name.</param>
/// <param name="Quarantined">True when it is now quarantined, false when it was released.</param>
/// <param name="Actor">Who did it.</param>
[IntegrationEvent("test.quarantine_changed")]
public sealed record TestQuarantineChanged(string RepoId, string Test, bool Quarantined, string Actor) : IIntegrationEvent
{
    /// <inheritdoc />
    public IReadOnlyList<string> Topics() => [$"repo:{RepoId}"];
}
