namespace LazyAf.Modules.Workspaces.Contracts;

/// <summary>Where a workspace is; the workspace state machine moves it.</summary>
public enum WorkspaceState
{
    /// <summary>Its record exists and its directory is being made.</summary>
    Creating,

    /// <summary>Its directory exists and no lease holds it; the cleaner may remove it.</summary>
    Ready,

    /// <summary>One or more shared leases hold it; nothing removes it.</summary>
    InUse,

    /// <summary>
    /// Its owner released it for good and it is kept, unleased, for the next new key of the same repo, which takes it
    /// instead of a new directory: its checkout is fetched and reset, not cloned again. The cleaner may remove it.
    /// </summary>
    Warm,

    /// <summary>The cleaner holds it exclusively and is deleting its directory.</summary>
    Cleaning,

    /// <summary>Its directory is gone. Final; the key may get a new workspace.</summary>
    Removed,
}
