using LazyAf.Kernel.Events;

namespace LazyAf.Modules.Repos.Contracts;

/// <summary>A repo was created (through the API or by <c>lazyaf ingest</c>).</summary>
/// <param name="Repo">The new repo.</param>
[IntegrationEvent("repo.created")]
public sealed record RepoCreated(RepoInfo Repo) : IIntegrationEvent
{
    /// <inheritdoc />
    public IReadOnlyList<string> Topics() => [$"repo:{Repo.Id}"];
}

/// <summary>A repo's name, default branch or remote changed.</summary>
/// <param name="Repo">The repo after the change.</param>
[IntegrationEvent("repo.updated")]
public sealed record RepoUpdated(RepoInfo Repo) : IIntegrationEvent
{
    /// <inheritdoc />
    public IReadOnlyList<string> Topics() => [$"repo:{Repo.Id}"];
}

/// <summary>A repo and its git data were deleted.</summary>
/// <param name="RepoId">The repo that is gone.</param>
[IntegrationEvent("repo.deleted")]
public sealed record RepoDeleted(string RepoId) : IIntegrationEvent
{
    /// <inheritdoc />
    public IReadOnlyList<string> Topics() => [$"repo:{RepoId}"];
}
