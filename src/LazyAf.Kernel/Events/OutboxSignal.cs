namespace LazyAf.Kernel.Events;

/// <summary>Wakes the dispatcher when a transaction with events commits, so delivery need not wait for the next poll.</summary>
internal sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    internal void Notify()
    {
        if (_wake.CurrentCount == 0)
        {
            try { _wake.Release(); }
            catch (SemaphoreFullException) { /* already signalled by a racing commit */ }
        }
    }

    public void Dispose() => _wake.Dispose();

    internal Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _wake.WaitAsync(timeout, ct);
}
