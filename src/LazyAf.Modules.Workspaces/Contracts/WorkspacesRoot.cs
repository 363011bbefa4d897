namespace LazyAf.Modules.Workspaces.Contracts;

/// <summary>The directory that holds every workspace of this host (<c>Workspaces:Root</c>), known before the host starts.</summary>
/// <param name="Path">Its full path; it may not exist yet.</param>
public sealed record WorkspacesRoot(string Path);
