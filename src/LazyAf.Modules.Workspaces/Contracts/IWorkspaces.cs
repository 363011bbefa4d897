namespace LazyAf.Modules.Workspaces.Contracts;

/// <summary>Working directories for steps, handed out as shared leases on a key.</summary>
public interface IWorkspaces
{
    /// <summary>
    /// A shared lease on the workspace for <paramref name="key"/> (e.g. <c>execution:{id}</c>, <c>run:{id}</c>):
    /// the existing one when the key is known, else a warm one of the same repo (<see cref="WorkspaceLease.Reused"/>),
    /// else a new empty directory. Every holder of the same key
    /// gets the same directory; the workspace is in use until every lease is disposed.
    /// </summary>
    Task<WorkspaceLease> AcquireAsync(string key, string repoId, CancellationToken ct);

    /// <summary>
    /// The owner is done with <paramref name="key"/> for good: when no lease holds it any more, its workspace
    /// becomes warm for the next key of its repo (up to <c>Workspaces:WarmPerRepo</c> per repo) or is removed now
    /// instead of after the grace period. A lease still held keeps it until the cleaner's next pass.
    /// </summary>
    Task ReleaseKeyAsync(string key, CancellationToken ct);
}
