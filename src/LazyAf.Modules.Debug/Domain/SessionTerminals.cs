using System.Collections.Concurrent;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Pipelines.Contracts;

namespace LazyAf.Modules.Debug.Domain;

/// <summary>
/// The live side of sessions in this host: each session's prepared step environment (made when its first terminal
/// opens, kept for the next one) and its open terminals, which are told why and closed when the session ends.
/// </summary>
internal sealed class SessionTerminals(IPipelineDebugging pipelines, IStepEnvironments environments) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<IStepEnvironment>>> _environments = new();
    private readonly ConcurrentDictionary<string, Closing> _open = new();

    /// <summary>
    /// The paused step's environment (after a failure: its workspace as the step left it), here or on the runner that
    /// holds the run's workspace; null when its run is no longer paused. One that was lost (its runner went) is made again.
    /// </summary>
    public async Task<IStepEnvironment?> EnvironmentAsync(SessionRow session, CancellationToken ct)
    {
        if (await pipelines.PausedStepAsync(session.RunId, ct) is not { } paused)
            return null;
        var prepared = _environments.GetOrAdd(session.Id, _ => new Lazy<Task<IStepEnvironment>>(() => paused.AfterFailure
            ? environments.AttachAsync(paused.Request, CancellationToken.None)
            : environments.PrepareAsync(paused.Request, CancellationToken.None)));
        try
        {
            var environment = await prepared.Value.WaitAsync(ct);
            if (!environment.Lost.IsCompleted)
                return environment;
            _environments.TryRemove(new KeyValuePair<string, Lazy<Task<IStepEnvironment>>>(session.Id, prepared));
            await environment.DisposeAsync();
            return await EnvironmentAsync(session, ct);
        }
        catch (InvalidOperationException)
        {
            // A failed preparation is tried again by the next terminal.
            _environments.TryRemove(new KeyValuePair<string, Lazy<Task<IStepEnvironment>>>(session.Id, prepared));
            throw;
        }
    }

    /// <summary>Follows an open terminal of <paramref name="sessionId"/>: its token is cancelled when the session ends, with the reason.</summary>
    public Closing Open(string sessionId) => _open.GetOrAdd(sessionId, _ => new Closing());

    /// <summary>Closes the session's terminals with <paramref name="reason"/> and gives its workspace back.</summary>
    public async Task CloseAsync(string sessionId, string reason)
    {
        if (_open.TryRemove(sessionId, out var closing))
            closing.Close(reason);
        if (_environments.TryRemove(sessionId, out var prepared) && prepared.IsValueCreated)
        {
            try
            {
                await (await prepared.Value).DisposeAsync();
            }
            catch (InvalidOperationException)
            {
                // It never got ready: nothing to give back.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _environments.Keys)
            await CloseAsync(id, "the host is stopping");
    }

    /// <summary>Tells the terminals of one session that it ended, and why.</summary>
    internal sealed class Closing
    {
        private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Ends with the reason once the session ended.</summary>
        public Task<string> Closed => _closed.Task;

        public void Close(string reason) => _closed.TrySetResult(reason);
    }
}
