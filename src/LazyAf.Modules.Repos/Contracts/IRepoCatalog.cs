namespace LazyAf.Modules.Repos.Contracts;

/// <summary>A repo as other modules see it.</summary>
/// <param name="Id">The repo id.</param>
/// <param name="Name">Its unique name.</param>
/// <param name="DefaultBranch">The branch HEAD follows and merges go to by default.</param>
/// <param name="RemoteUrl">The real remote (GitHub, GitLab, …) it was ingested from, if any.</param>
/// <param name="ClonePath">The path of its git endpoint on this host, <c>/git/{id}.git</c>.</param>
public sealed record RepoInfo(string Id, string Name, string DefaultBranch, string? RemoteUrl, string ClonePath)
{
    /// <summary>The command that prepares a fresh workspace (instead of <c>.lazyaf/setup.sh</c>), if configured.</summary>
    public string? SetupCommand { get; init; }

    /// <summary>A path (e.g. <c>.env</c>) to write the repo's secrets to as <c>NAME=value</c> lines in a fresh workspace, if configured.</summary>
    public string? SecretsFile { get; init; }
}

/// <summary>Read access to repos for other modules.</summary>
public interface IRepoCatalog
{
    /// <summary>The repo, or null when there is none with this id.</summary>
    Task<RepoInfo?> FindAsync(string repoId, CancellationToken ct);

    /// <summary>The sha a branch points at, or null when the repo or branch does not exist.</summary>
    Task<string?> BranchTipAsync(string repoId, string branch, CancellationToken ct);

    /// <summary>What <paramref name="head"/> changed since it left <paramref name="base"/>; null when the repo or a revision does not exist.</summary>
    Task<RepoDiff?> DiffAsync(string repoId, string @base, string head, CancellationToken ct);

    /// <summary>
    /// The files directly in <paramref name="directory"/> on <paramref name="branch"/> whose names end in
    /// one of <paramref name="extensions"/>; empty when the directory does not exist, null when the repo or branch does not.
    /// </summary>
    Task<IReadOnlyList<RepoFile>?> ReadFilesAsync(string repoId, string branch, string directory, IReadOnlyList<string> extensions, CancellationToken ct);
}
