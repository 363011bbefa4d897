using System.ComponentModel.DataAnnotations;

namespace LazyAf.Kernel.LiveEvents;

/// <summary>The live event stream's settings (<c>LiveEvents:*</c>).</summary>
public sealed class LiveEventsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "LiveEvents";

    /// <summary>How many recent events stay replayable for clients that resume (<c>LiveEvents:ReplayWindow</c>).</summary>
    [Range(1, long.MaxValue, ErrorMessage = "must be at least 1")]
    public long ReplayWindow { get; set; } = 10_000;

    /// <summary>Events a subscriber may have queued before it counts as too slow (<c>LiveEvents:SubscriberQueue</c>).</summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be at least 1")]
    public int SubscriberQueue { get; set; } = 10_000;
}
