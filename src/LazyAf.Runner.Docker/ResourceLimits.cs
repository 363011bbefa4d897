using System.Globalization;
using System.Text.RegularExpressions;

namespace LazyAf.Runner.Docker;

/// <summary>A docker step's <c>memory</c> and <c>cpus</c> (and the host's caps of them), as the engine takes them.</summary>
public static partial class ResourceLimits
{
    /// <summary>
    /// <c>memory</c> like Docker's <c>--memory</c>: a number with an optional unit <c>b</c>, <c>k</c>, <c>m</c>,
    /// <c>g</c> or <c>t</c> (powers of 1024, an optional trailing <c>b</c>, any case) → bytes; null when not set.
    /// </summary>
    public static long? MemoryBytes(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var match = MemoryPattern().Match(text.Trim());
        if (!match.Success || !double.TryParse(match.Groups["n"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            throw new StepFailedException($"memory '{text}' is not a size like 512m or 2g");
        var unit = match.Groups["unit"].Value.ToUpperInvariant() switch
        {
            "K" => 1L << 10,
            "M" => 1L << 20,
            "G" => 1L << 30,
            "T" => 1L << 40,
            _ => 1L,
        };
        var bytes = amount * unit;
        // The engine refuses less than 6 MB itself; this catches only what cannot be a limit at all.
        return bytes is >= 1 and < long.MaxValue
            ? (long)bytes
            : throw new StepFailedException($"memory '{text}' is not a size like 512m or 2g");
    }

    /// <summary>Bytes as <see cref="MemoryBytes"/> reads them back: <c>2g</c>, <c>512m</c>, <c>64k</c> or a plain number.</summary>
    public static string MemoryText(long bytes) => bytes switch
    {
        _ when bytes % (1L << 30) == 0 => $"{bytes >> 30}g",
        _ when bytes % (1L << 20) == 0 => $"{bytes >> 20}m",
        _ when bytes % (1L << 10) == 0 => $"{bytes >> 10}k",
        _ => bytes.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary><c>cpus</c> like Docker's <c>--cpus</c> (e.g. <c>1.5</c>) → nano-CPUs; null when not set.</summary>
    public static long? NanoCpus(double? cpus) => cpus switch
    {
        null => null,
        > 0 and <= 1_000_000 => (long)Math.Round(cpus.Value * 1e9),
        _ => throw new StepFailedException($"cpus '{cpus.Value.ToString(CultureInfo.InvariantCulture)}' is not a positive number like 1 or 1.5"),
    };

    [GeneratedRegex("^(?<n>[0-9]+(\\.[0-9]+)?)\\s*(?<unit>[kmgt]?)b?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MemoryPattern();
}
