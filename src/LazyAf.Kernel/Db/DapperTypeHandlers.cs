using System.Data;
using System.Globalization;
using Dapper;

namespace LazyAf.Kernel.Db;

/// <summary>
/// SQLite has no date type: times are stored as round-trip ISO 8601 text in UTC, which also
/// sorts and compares correctly as text.
/// </summary>
internal sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
{
    public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
    {
        parameter.DbType = DbType.String;
        parameter.Value = Format(value);
    }

    // What Format writes is the round-trip ("O") form, which the runtime parses on a fast path of its own; any other
    // text (written by hand or by SQL) takes the general parser. A page of 200 cards reads 600 of these.
    public override DateTimeOffset Parse(object value)
    {
        var text = (string)value;
        return DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            ? parsed
            : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    public static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static int s_registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 1)
            return;
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
    }
}
