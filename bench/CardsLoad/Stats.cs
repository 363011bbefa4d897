using System.Globalization;

namespace CardsLoad;

/// <summary>Percentiles (nearest rank) of a set of samples in milliseconds.</summary>
internal sealed class Stats
{
    private readonly double[] _sorted;

    public Stats(IEnumerable<double> samples)
    {
        _sorted = [.. samples];
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];

    public double P(double percent)
    {
        if (_sorted.Length == 0)
            return double.NaN;
        var rank = (int)Math.Ceiling(percent / 100 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }

    /// <summary>"p50 / p95 / p99 / max" with one decimal.</summary>
    public string Summary(params double[] percents) =>
        string.Join(" / ", percents.Select(p => Ms(P(p))).Append(Ms(Max)));

    public static string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    public static string Rate(double perSecond) => perSecond.ToString("#,0", CultureInfo.InvariantCulture);
}
