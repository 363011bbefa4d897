using Cronos;

namespace LazyAf.Modules.Triggers.Features.Schedules;

/// <summary>Cron slots (five fields, UTC), and which one is due.</summary>
internal static class ScheduleSlots
{
    public static CronExpression? Parse(string? cron) =>
        CronExpression.TryParse(cron ?? "", CronFormat.Standard, out var expression) ? expression : null;

    /// <summary>
    /// The latest slot after <paramref name="lastSlot"/> and at or before <paramref name="now"/>, or null when none
    /// has come. Slots missed while the host was down collapse into this one, so they fire once, not once each.
    /// </summary>
    public static DateTimeOffset? Due(CronExpression cron, DateTimeOffset lastSlot, DateTimeOffset now)
    {
        DateTimeOffset? due = null;
        for (var next = cron.GetNextOccurrence(lastSlot, TimeZoneInfo.Utc); next is { } slot && slot <= now; next = cron.GetNextOccurrence(slot, TimeZoneInfo.Utc))
            due = slot;
        return due;
    }
}
