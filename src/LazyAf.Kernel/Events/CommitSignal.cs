namespace LazyAf.Kernel.Events;

/// <summary>
/// Tells every waiting reader (the dispatcher, the live-event hub) that a transaction with events
/// committed, so none of them waits for its next poll. A reader takes <see cref="Next"/> before it
/// reads the outbox, then awaits it: a commit in between is never missed.
/// </summary>
internal sealed class CommitSignal
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>Completes when the next commit with events happens.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    /// <summary>Waits for <paramref name="next"/> or the poll interval, whichever comes first.</summary>
    public static async Task WaitAsync(Task next, TimeSpan poll, CancellationToken ct)
    {
        try
        {
            await next.WaitAsync(poll, ct);
        }
        catch (TimeoutException)
        {
            // Polling is the safety net for commits made by another process on the same file.
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
