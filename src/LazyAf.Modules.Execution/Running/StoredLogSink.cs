using System.Threading.Channels;
using LazyAf.Modules.Execution.Data;
using LazyAf.Runner;

namespace LazyAf.Modules.Execution.Running;

/// <summary>
/// Stores a run's chunks in batches (every 250 ms or 256 KiB), one transaction and one
/// <c>log.appended</c> event per batch. The bounded queue pushes back on a step that writes faster
/// than the disk takes it, so memory stays bounded.
/// </summary>
internal sealed class StoredLogSink : ILogSink, IAsyncDisposable
{
    private const int MaxBatchBytes = 256 * 1024;
    private static readonly TimeSpan FlushEvery = TimeSpan.FromMilliseconds(250);

    private readonly Channel<LogChunk> _queue = Channel.CreateBounded<LogChunk>(new BoundedChannelOptions(256) { SingleReader = true });
    private readonly LogStore _store;
    private readonly string _executionId;
    private readonly Task _writer;

    public StoredLogSink(LogStore store, string executionId)
    {
        _store = store;
        _executionId = executionId;
        _writer = StoreBatchesAsync();
    }

    public ValueTask WriteAsync(LogChunk chunk, CancellationToken ct) => _queue.Writer.WriteAsync(chunk, ct);

    /// <summary>Stores what is still queued; call before the execution's final state is saved.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private async Task StoreBatchesAsync()
    {
        var batch = new List<LogChunk>();
        var bytes = 0;
        while (await _queue.Reader.WaitToReadAsync())
        {
            using var window = new CancellationTokenSource(FlushEvery);
            try
            {
                while (bytes < MaxBatchBytes && await _queue.Reader.WaitToReadAsync(window.Token))
                {
                    while (bytes < MaxBatchBytes && _queue.Reader.TryRead(out var chunk))
                    {
                        batch.Add(chunk);
                        bytes += chunk.Data.Length;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The window closed: store what came in it.
            }
            await _store.AppendAsync(_executionId, batch, CancellationToken.None);
            batch.Clear();
            bytes = 0;
        }
    }
}
