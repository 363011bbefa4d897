using System.Collections.Concurrent;

namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>
/// Serialises work on one run inside this host (a step's end and a cancel at the same moment); the version check on
/// save guards against everything else.
/// </summary>
internal static class RunLocks
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new();

    public static async Task<IDisposable> LockAsync(string runId, CancellationToken ct)
    {
        var gate = Gates.GetOrAdd(runId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
