namespace CardsLoad;

/// <summary>What a fan-out run cost apart from latency: wall times and the host's CPU.</summary>
internal sealed record FanOutCosts(TimeSpan Connect, TimeSpan Patches, bool Drained, double? HostCpuMs);

/// <summary>
/// A fan-out run checked and summarised. Latency is from the event's <c>at</c> (stamped by the host in
/// the writing transaction, before commit) or from the moment the PATCH's response arrived, to the
/// moment a subscriber received the event; "all subscribers" is when the last one had it.
/// </summary>
internal sealed record FanOutResult(
    FanOutVariant Variant, int Subscribers, int Updates, FanOutCosts Costs,
    Stats FromAt, Stats FromResponse, Stats AllFromAt, Stats Patch,
    long Deliveries, double DeliveriesPerSecond,
    int Complete, long Missing, long Duplicates, long OutOfOrder, long Decoys, IReadOnlyList<string> EndedEarly)
{
    private const double TicksPerMs = TimeSpan.TicksPerMillisecond;

    public double PatchesPerSecond => Updates / Costs.Patches.TotalSeconds;

    public static FanOutResult Analyse(FanOutVariant variant, EventCatalog catalog, IReadOnlyList<Subscriber> subscribers, string prefix,
        long[] sent, long[] answered, FanOutCosts costs)
    {
        var updates = sent.Length;
        var fromAt = new List<double>(updates * subscribers.Count);
        var fromResponse = new List<double>(updates * subscribers.Count);
        var lastArrival = new long[updates];
        var atTicks = new long[updates];
        long deliveries = 0, missing = 0, duplicates = 0, outOfOrder = 0, decoys = 0, end = 0;
        var complete = 0;
        foreach (var subscriber in subscribers)
        {
            var seen = new int[updates];
            long previous = -1, wrong = 0;
            foreach (var (id, arrived) in subscriber.Deliveries)
            {
                if (id <= previous)
                    wrong++;
                previous = id;
                var info = catalog[id];
                if (info.Title?.StartsWith($"decoy-{variant.Name}-", StringComparison.Ordinal) == true)
                    decoys++;
                if (info.Title?.StartsWith(prefix, StringComparison.Ordinal) != true)
                    continue;
                var i = int.Parse(info.Title.AsSpan(prefix.Length), System.Globalization.CultureInfo.InvariantCulture);
                if (++seen[i] > 1)
                {
                    duplicates++;
                    continue;
                }
                deliveries++;
                fromAt.Add((arrived - info.At.UtcTicks) / TicksPerMs);
                fromResponse.Add((arrived - answered[i]) / TicksPerMs);
                atTicks[i] = info.At.UtcTicks;
                lastArrival[i] = Math.Max(lastArrival[i], arrived);
                end = Math.Max(end, arrived);
            }
            var absent = seen.Count(n => n == 0);
            missing += absent;
            outOfOrder += wrong;
            if (absent == 0 && wrong == 0 && seen.All(n => n == 1))
                complete++;
        }
        var all = Enumerable.Range(0, updates).Where(i => lastArrival[i] > 0).Select(i => (lastArrival[i] - atTicks[i]) / TicksPerMs);
        var patch = Enumerable.Range(0, updates).Select(i => (answered[i] - sent[i]) / TicksPerMs);
        var span = TimeSpan.FromTicks(end - sent.Min());
        return new FanOutResult(variant, subscribers.Count, updates, costs,
            new Stats(fromAt), new Stats(fromResponse), new Stats(all), new Stats(patch),
            deliveries, deliveries / span.TotalSeconds, complete, missing, duplicates, outOfOrder, decoys,
            [.. subscribers.Select(s => s.EndedEarly).OfType<string>().Distinct()]);
    }
}
