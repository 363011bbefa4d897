using System.ComponentModel.DataAnnotations;

namespace LazyAf.Kernel.Storage;

/// <summary>How the host guards its data directory's disk (<c>Storage:*</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Storage";

    /// <summary>
    /// Space held back in the data directory (<c>Storage:ReserveBytes</c>) and given up the moment the disk is full,
    /// so the host can still record why steps failed and move their cards; made again when space returns.
    /// </summary>
    [Range(0, long.MaxValue, ErrorMessage = "must be 0 or more (bytes)")]
    public long ReserveBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Free space below which the disk counts as full even before a write fails (<c>Storage:MinFreeBytes</c>).</summary>
    [Range(0, long.MaxValue, ErrorMessage = "must be 0 or more (bytes)")]
    public long MinFreeBytes { get; set; } = 1024 * 1024;

    /// <summary>How often the free space is looked at (<c>Storage:CheckInterval</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "must be 10 ms to 1 hour")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(1);
}
