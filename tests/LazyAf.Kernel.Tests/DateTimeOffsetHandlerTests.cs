using LazyAf.Kernel.Db;

namespace LazyAf.Kernel.Tests;

/// <summary>How times are stored as text and read back.</summary>
public sealed class DateTimeOffsetHandlerTests
{
    private readonly DateTimeOffsetHandler _handler = new();

    [Fact]
    public void A_stored_time_reads_back_to_the_tick_in_utc()
    {
        var at = new DateTimeOffset(2026, 12, 7, 17, 4, 5, TimeSpan.FromHours(2)).AddTicks(1234567);

        var stored = DateTimeOffsetHandler.Format(at);
        var read = _handler.Parse(stored);

        // The round-trip form, which the handler reads on the runtime's fast path.
        Assert.True(DateTimeOffset.TryParseExact(stored, "O", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _), stored);
        Assert.Equal(at.UtcTicks, read.UtcTicks);
        Assert.Equal(TimeSpan.Zero, read.Offset);
    }

    [Theory]
    [InlineData("2026-12-07 10:00:00", "2026-12-07T10:00:00.0000000+00:00")]
    [InlineData("2026-12-07T10:00:00+02:00", "2026-12-07T08:00:00.0000000+00:00")]
    [InlineData("2026-12-07T10:00:00.5Z", "2026-12-07T10:00:00.5000000+00:00")]
    public void Text_in_another_form_is_read_too_without_an_offset_meaning_utc(string stored, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).UtcTicks, _handler.Parse(stored).UtcTicks);
    }
}
