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
}
