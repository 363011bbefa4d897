using LazyAf.Kernel.Events;

namespace LazyAf.Modules.Execution.Contracts;

/// <summary>A remote runner connected, went idle or busy, disconnected, died, or was asked to drain.</summary>
/// <param name="RunnerId">The runner.</param>
/// <param name="Name">Its name.</param>
/// <param name="State"><c>disconnected</c>, <c>idle</c>, <c>busy</c> or <c>dead</c>.</param>
/// <param name="Draining">Whether it takes no new work.</param>
/// <param name="Labels">What it offers.</param>
/// <param name="LastSeenAt">When it last sent anything.</param>
[IntegrationEvent("runner.updated")]
public sealed record RunnerUpdated(string RunnerId, string Name, string State, bool Draining, IReadOnlyList<string> Labels, DateTimeOffset? LastSeenAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public IReadOnlyList<string> Topics() => ["runners", $"runner:{RunnerId}"];
}

/// <summary>A remote runner was revoked: its credential no longer works.</summary>
/// <param name="RunnerId">The runner.</param>
[IntegrationEvent("runner.revoked")]
public sealed record RunnerRevoked(string RunnerId) : IIntegrationEvent
{
    /// <inheritdoc />
    public IReadOnlyList<string> Topics() => ["runners", $"runner:{RunnerId}"];
}
