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

    /// <summary>The cleaner holds it exclusively and is deleting its directory.</summary>
    Cleaning,

    /// <summary>Its directory is gone. Final; the key may get a new workspace.</summary>
    Removed,
}
