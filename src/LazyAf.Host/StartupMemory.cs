namespace LazyAf.Host;

/// <summary>
/// Gives start-up's garbage back once the host has started. Start-up allocates ~15–20 MiB and nothing of it is
/// collected on the way (it fits in the first gen0 budget), so an idle host would keep it all resident until later
/// work happened to trigger a collection; one full compacting collection that decommits what it frees (~6 MiB less
/// idle RSS, measured in bench/host-startup.sh) runs on the thread pool right after the start, off the start path.
/// </summary>
internal static class StartupMemory
{
    public static void ReleaseStartupGarbage(this WebApplication app) =>
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            // Only in a process that has collected nothing yet, as a host of its own has: where the GC already runs
            // (a test process starting many hosts), it looks after the garbage, and a full blocking collection of a
            // large heap at each start would only pause everything else in it.
            if (GC.CollectionCount(0) == 0)
                ThreadPool.UnsafeQueueUserWorkItem(_ => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true), state: null);
        });
}
