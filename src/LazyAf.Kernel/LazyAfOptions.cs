namespace LazyAf.Kernel;

/// <summary>Host-wide settings every module may read.</summary>
public sealed class LazyAfOptions
{
    /// <summary>Configuration key of the data directory (environment: <c>LAZYAF_DATA_DIR</c>).</summary>
    public const string DataDirKey = "DataDir";

    /// <summary>Where the database, bare repositories and workspaces live.</summary>
    public required string DataDir { get; init; }

    /// <summary>The data directory from configuration, else <c>~/.lazyaf</c>.</summary>
    public static string ResolveDataDir(string? configured) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".lazyaf")
            : configured);
}
