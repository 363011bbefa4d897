using System.ComponentModel.DataAnnotations;

namespace LazyAf.Kernel.Events;

/// <summary>How the durable event bus retries (<c>Outbox:*</c>).</summary>
public sealed class OutboxOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Outbox";

    /// <summary>
    /// Passes over an event whose handlers keep failing before it becomes a dead letter (<c>Outbox:MaxAttempts</c>); an
    /// admin then retries or discards it.
    /// </summary>
    [Range(1, 1000, ErrorMessage = "must be 1 to 1000")]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The wait before the first retry (<c>Outbox:RetryDelay</c>); it doubles with each failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00", ErrorMessage = "must be more than 0 and at most a day")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between retries (<c>Outbox:MaxRetryDelay</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00", ErrorMessage = "must be more than 0 and at most a day")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The wait after the <paramref name="failures"/>-th failed pass (1 on the first): doubling, capped.</summary>
    public TimeSpan Backoff(long failures)
    {
        var factor = Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        return TimeSpan.FromTicks((long)Math.Min(RetryDelay.Ticks * factor, MaxRetryDelay.Ticks));
    }
}
