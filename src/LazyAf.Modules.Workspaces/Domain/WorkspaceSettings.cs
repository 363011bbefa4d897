using LazyAf.Kernel;

namespace LazyAf.Modules.Workspaces.Domain;

/// <summary>Where workspaces live, how many are kept warm and when the cleaner removes them (<c>Workspaces:*</c> in configuration).</summary>
internal sealed record WorkspaceSettings
{
    /// <summary><c>Workspaces:Root</c>, by default <c>{data}/workspaces</c>: one directory per workspace, named by its id.</summary>
    public required string Root { get; init; }

    /// <summary>How often the cleaner runs (<c>Workspaces:CleanupInterval</c>, default 5 min).</summary>
    public TimeSpan CleanupInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an unleased workspace is kept after its last use (<c>Workspaces:OrphanGrace</c>, default 1 h).</summary>
    public TimeSpan OrphanGrace { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The most ready workspaces may take together (<c>Workspaces:DiskBudgetBytes</c>, default 20 GB); the least recently used go first.</summary>
    public long DiskBudgetBytes { get; init; } = 20L * 1024 * 1024 * 1024;

    /// <summary>
    /// <c>Workspaces:WarmPerRepo</c>, default 1: released workspaces kept warm per repo for its next key. Creating a checkout's
    /// files right after the last one's were deleted is slow on ext4 (its inode allocator scans past the freed inodes);
    /// a reused checkout rewrites only what differs.
    /// </summary>
    public int WarmPerRepo { get; init; } = 1;

    public static WorkspaceSettings From(WorkspacesOptions settings, LazyAfOptions options) => new()
    {
        Root = string.IsNullOrEmpty(settings.Root) ? Path.Combine(options.DataDir, "workspaces") : Path.GetFullPath(settings.Root),
        CleanupInterval = settings.CleanupInterval,
        OrphanGrace = settings.OrphanGrace,
        DiskBudgetBytes = settings.DiskBudgetBytes,
        WarmPerRepo = settings.WarmPerRepo,
    };

    public string PathOf(string id) => Path.Combine(Root, id);
}
