using System.ComponentModel.DataAnnotations;

namespace LazyAf.Modules.Reports;

/// <summary>The Reports module's settings (<c>Reports:*</c>).</summary>
internal sealed class ReportsOptions
{
    public const string Section = "Reports";

    /// <summary>
    /// How far back a pass and a failure on one commit, or flips on one branch, make a test flaky, and how long it stays
    /// flagged after (<c>Reports:FlakyWindow</c>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00", ErrorMessage = "must be at least a second, at most 3650 days")]
    public TimeSpan FlakyWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How many changes between pass and fail on one branch within the window make a test flaky (<c>Reports:FlakyFlips</c>).</summary>
    [Range(2, 1000, ErrorMessage = "must be from 2 to 1000")]
    public int FlakyFlips { get; set; } = 3;

    /// <summary>The largest one artifact may be (<c>Reports:MaxArtifactBytes</c>); a bigger one fails its step, naming it.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "must be at least 1 (bytes)")]
    public long MaxArtifactBytes { get; set; } = 1L * 1024 * 1024 * 1024;

    /// <summary>The most a repo's artifacts may take together (<c>Reports:MaxRepoArtifactBytes</c>); a step whose artifacts would pass it fails.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "must be at least 1 (bytes)")]
    public long MaxRepoArtifactBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>How long artifacts are kept (<c>Reports:ArtifactRetention</c>); the cleaner deletes older ones.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00", ErrorMessage = "must be at least a second, at most 3650 days")]
    public TimeSpan ArtifactRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The most all artifacts may take (<c>Reports:ArtifactTotalBytes</c>); the cleaner deletes the oldest while they take more.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "must be at least 1 (bytes)")]
    public long ArtifactTotalBytes { get; set; } = 50L * 1024 * 1024 * 1024;

    /// <summary>How often the artifact cleaner runs (<c>Reports:ArtifactCleanupInterval</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "365.00:00:00", ErrorMessage = "must be more than 0 and at most 365 days")]
    public TimeSpan ArtifactCleanupInterval { get; set; } = TimeSpan.FromHours(1);
}
