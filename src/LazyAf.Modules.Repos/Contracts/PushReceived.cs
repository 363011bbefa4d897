using LazyAf.Kernel.Events;

namespace LazyAf.Modules.Repos.Contracts;

/// <summary>
/// A ref of a LazyAF repo moved: a <c>git push</c>, a merge, or a branch deleted through the API.
/// Published once per ref, durably, in the transaction that records the update.
/// </summary>
/// <param name="RepoId">The repo whose ref moved.</param>
/// <param name="PushId">Groups the refs updated together by one push.</param>
/// <param name="Ref">The full ref name, e.g. <c>refs/heads/main</c>.</param>
/// <param name="OldSha">The previous target; forty zeros when the ref was created.</param>
/// <param name="NewSha">The new target; forty zeros when the ref was deleted.</param>
/// <param name="Source">What moved it: <c>push</c>, <c>merge</c> or <c>api</c>.</param>
/// <param name="ReceivedAt">When LazyAF recorded it.</param>
[IntegrationEvent("push.received")]
public sealed record PushReceived(
    string RepoId,
    string PushId,
    string Ref,
    string OldSha,
    string NewSha,
    string Source,
    DateTimeOffset ReceivedAt) : IIntegrationEvent
{
    /// <summary>The sha git uses for "no object": a created ref's old sha, a deleted ref's new sha.</summary>
    public const string ZeroSha = "0000000000000000000000000000000000000000";

    /// <summary>True when the push deleted the ref.</summary>
    public bool IsDeletion => NewSha == ZeroSha;

    /// <inheritdoc />
    public IReadOnlyList<string> Topics() => [$"repo:{RepoId}"];
}
