namespace LazyAf.Modules.Workspaces.Contracts;

/// <summary>The directory that holds every workspace of this host (<c>Workspaces:Root</c>), known before the host starts.</summary>
/// <param name="Path">Its full path; it may not exist yet.</param>
public sealed record WorkspacesRoot(string Path)
{
    /// <summary>The name of <see cref="ObjectCache"/> under the root: no workspace is named so (theirs are ids), and the cleaner leaves it.</summary>
    public const string ObjectCacheName = ".git-objects";

    /// <summary>
    /// Where the runner keeps its git object cache, which workspaces borrow objects from: under the root, so whoever
    /// can reach the workspaces (a step run as another user) can read it too.
    /// </summary>
    public string ObjectCache => System.IO.Path.Combine(Path, ObjectCacheName);
}
