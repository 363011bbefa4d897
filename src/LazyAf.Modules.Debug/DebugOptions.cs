using System.ComponentModel.DataAnnotations;

namespace LazyAf.Modules.Debug;

/// <summary>The Debug module's settings (<c>Debug:*</c>).</summary>
internal sealed class DebugOptions
{
    public const string Section = "Debug";

    /// <summary>How long a session waits before it times out and aborts its run, and what one extend adds (<c>Debug:TimeoutSeconds</c>).</summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be at least 1 (seconds)")]
    public int TimeoutSeconds { get; set; } = 3600;

    /// <summary>The longest a session may last from its start, extends included (<c>Debug:MaxSeconds</c>, 4 h).</summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be at least 1 (seconds)")]
    public int MaxSeconds { get; set; } = 4 * 3600;

    /// <summary>How long a terminal token may wait for its one use (<c>Debug:TerminalTokenSeconds</c>).</summary>
    [Range(1, 3600, ErrorMessage = "must be 1 to 3600 (seconds)")]
    public int TerminalTokenSeconds { get; set; } = 60;
}
