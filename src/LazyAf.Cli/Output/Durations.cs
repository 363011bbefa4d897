using System.Globalization;

namespace LazyAf.Cli.Output;

/// <summary>How long something took, as people read it: <c>0.4s</c>, <c>12s</c>, <c>3m05s</c>, <c>1h02m</c>.</summary>
internal static class Durations
{
    public static string Of(TimeSpan elapsed) => elapsed switch
    {
        { TotalSeconds: < 10 } => elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s",
        { TotalMinutes: < 1 } => $"{(int)elapsed.TotalSeconds}s",
        { TotalHours: < 1 } => $"{(int)elapsed.TotalMinutes}m{elapsed.Seconds:00}s",
        _ => $"{(int)elapsed.TotalHours}h{elapsed.Minutes:00}m",
    };
}
