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

    /// <summary>
    /// The largest message a client may send on <c>/ws</c> (<c>LiveEvents:MaxClientMessageBytes</c>); a larger one
    /// closes the stream with 1009 (message too big).
    /// </summary>
    [Range(1024, 16 * 1024 * 1024, ErrorMessage = "must be 1024 to 16777216 (bytes)")]
    public int MaxClientMessageBytes { get; set; } = 64 * 1024;
}
