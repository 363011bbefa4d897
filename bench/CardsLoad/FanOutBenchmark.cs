using System.Diagnostics;

namespace CardsLoad;

/// <summary>
/// One fan-out variant: who subscribes to what (<paramref name="Topic"/>: one repo's topic, or null
/// for everything) and which cards are renamed; with <paramref name="Decoys"/>, every tenth rename is
/// followed by one in another repo, which a topic subscriber must never see.
/// </summary>
internal sealed record FanOutVariant(string Name, string? Topic, Func<int, string> CardFor, Func<int, string>? Decoys);

/// <summary>
/// Opens the subscribers, makes sure each is live (a sync rename reaches all of them), renames
/// <c>Updates</c> cards with a unique title each, and waits until every subscriber has every event.
/// </summary>
internal static class FanOutBenchmark
{
    public static async Task<FanOutResult> RunAsync(LazyAfApi api, HostUnderTest host, FanOutVariant variant, Options options)
    {
        var catalog = new EventCatalog();
        var ws = new UriBuilder(api.BaseAddress) { Scheme = "ws", Path = "/ws", Query = variant.Topic is null ? "" : $"topics={variant.Topic}" }.Uri;
        var subscribers = Enumerable.Range(0, options.Subscribers).Select(_ => new Subscriber(catalog, options.Updates)).ToList();
        try
        {
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(subscribers, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (s, _) => await s.ConnectAsync(ws, options.Token));
            var connectTime = clock.Elapsed;
            await SyncAsync(api, variant, subscribers);

            var prefix = $"bench-{variant.Name}-";
            foreach (var s in subscribers)
                s.MeasuredPrefix = prefix;
            var sent = new long[options.Updates];
            var answered = new long[options.Updates];
            var cpuBefore = host.CpuMilliseconds();
            clock.Restart();
            await Parallel.ForEachAsync(Enumerable.Range(0, options.Updates), new ParallelOptions { MaxDegreeOfParallelism = options.PatchConcurrency }, async (i, _) =>
            {
                sent[i] = DateTime.UtcNow.Ticks;
                await api.RenameCardAsync(variant.CardFor(i), prefix + i);
                answered[i] = DateTime.UtcNow.Ticks;
                if (variant.Decoys is { } decoy && i % 10 == 0)
                    await api.RenameCardAsync(decoy(i), $"decoy-{variant.Name}-{i}");
            });
            var patchTime = clock.Elapsed;
            var drained = await DrainAsync(subscribers, options);
            var cpu = host.CpuMilliseconds() - cpuBefore;

            // Closed before the analysis reads what they received; the finally covers a failed run.
            foreach (var s in subscribers)
                await s.DisposeAsync();
            return FanOutResult.Analyse(variant, catalog, subscribers, prefix, sent, answered,
                new FanOutCosts(connectTime, patchTime, drained, cpu));
        }
        finally
        {
            foreach (var s in subscribers)
                await s.DisposeAsync();
        }
    }

    /// <summary>Renames a card until every subscriber has received something, so none joins mid-measurement.</summary>
    private static async Task SyncAsync(LazyAfApi api, FanOutVariant variant, List<Subscriber> subscribers)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            await api.RenameCardAsync(variant.CardFor(0), $"sync-{variant.Name}-{attempt}");
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromMilliseconds(500))
            {
                if (subscribers.All(s => s.Received > 0))
                    return;
                await Task.Delay(10);
            }
        }
        throw new InvalidOperationException($"{subscribers.Count(s => s.Received == 0)} subscribers never received an event");
    }

    /// <summary>Waits until every subscriber has every measured event, or nothing has arrived for a while.</summary>
    private static async Task<bool> DrainAsync(List<Subscriber> subscribers, Options options)
    {
        var total = (long)options.Updates * subscribers.Count;
        long last = -1;
        var quiet = Stopwatch.StartNew();
        while (quiet.Elapsed < TimeSpan.FromSeconds(options.DrainSeconds))
        {
            long now = subscribers.Sum(s => (long)s.Measured);
            if (now >= total)
                return true;
            if (now != last)
            {
                last = now;
                quiet.Restart();
            }
            await Task.Delay(5);
        }
        return false;
    }
}
