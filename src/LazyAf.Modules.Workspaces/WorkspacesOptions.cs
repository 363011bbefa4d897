using System.ComponentModel.DataAnnotations;

namespace LazyAf.Modules.Workspaces;

/// <summary>When the cleaner removes workspaces (<c>Workspaces:*</c>).</summary>
internal sealed class WorkspacesOptions
{
    public const string Section = "Workspaces";

    /// <summary>How often the cleaner runs (<c>Workspaces:CleanupInterval</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "365.00:00:00", ErrorMessage = "must be more than 0 and at most 365 days")]
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an unleased workspace is kept after its last use (<c>Workspaces:OrphanGrace</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00", ErrorMessage = "must be 0 or more, at most 3650 days")]
    public TimeSpan OrphanGrace { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The most ready workspaces may take together; the least recently used go first (<c>Workspaces:DiskBudgetBytes</c>).</summary>
    [Range(0, long.MaxValue, ErrorMessage = "must be 0 or more (bytes)")]
    public long DiskBudgetBytes { get; set; } = 20L * 1024 * 1024 * 1024;

    /// <summary>
    /// How many released workspaces each repo keeps warm for its next step (<c>Workspaces:WarmPerRepo</c>): reusing one
    /// fetches and resets a checkout instead of cloning and writing every file again. 0 removes them on release.
    /// </summary>
    [Range(0, 100, ErrorMessage = "must be from 0 to 100")]
    public int WarmPerRepo { get; set; } = 1;

    /// <summary>
    /// The directory that holds the workspaces (<c>Workspaces:Root</c>, an absolute path); unset: <c>{data}/workspaces</c>.
    /// Steps run as another user (<c>Execution:RunAs</c>) need one outside the data directory, which is the owner's alone.
    /// </summary>
    [AbsolutePath]
    public string? Root { get; set; }
}

/// <summary>An absolute path, so that where workspaces go does not depend on the host's working directory.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class AbsolutePathAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is string path && !Path.IsPathFullyQualified(path)
            ? new ValidationResult("is not an absolute path")
            : ValidationResult.Success;
}
