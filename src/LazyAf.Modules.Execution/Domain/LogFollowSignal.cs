using System.Collections.Concurrent;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>
/// Wakes the followers of an execution's log when a batch of its chunks or a change of its state commits, so a follow
/// answer sends a line as soon as it is stored instead of at its next poll. A follower takes <see cref="Next"/> before it
/// reads, then awaits it: a commit in between is never missed. Only this host writes the data directory (its lock), and
/// every append and state change goes through the stores that call <see cref="Notify"/>.
/// </summary>
internal sealed class LogFollowSignal
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _next = new(StringComparer.Ordinal);

    /// <summary>Completes at the next append or state change of <paramref name="executionId"/> after this call.</summary>
    public Task Next(string executionId) =>
        _next.GetOrAdd(executionId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Called after a commit that stored chunks of <paramref name="executionId"/> or changed its state.</summary>
    public void Notify(string executionId)
    {
        // Removed, not reset: an execution nobody follows keeps no entry.
        if (_next.TryRemove(executionId, out var waiting))
            waiting.TrySetResult();
    }
}
