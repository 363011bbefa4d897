using LazyAf.Kernel.Events;
using Microsoft.Data.Sqlite;

namespace LazyAf.Kernel.Db;

/// <summary>
/// A write transaction on its own connection. Events enqueued on it become visible to the
/// dispatcher only when it commits, so a change and the work it starts land together or not at all.
/// </summary>
public sealed class WriteTransaction : IAsyncDisposable
{
    private readonly CommitSignal _signal;

    internal WriteTransaction(SqliteConnection connection, SqliteTransaction transaction, CommitSignal signal)
    {
        Connection = connection;
        Transaction = transaction;
        _signal = signal;
    }

    /// <summary>The connection the transaction runs on.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>The transaction; pass it to every Dapper call.</summary>
    public SqliteTransaction Transaction { get; }

    internal bool HasEvents { get; set; }

    /// <summary>Commits, then wakes the event dispatcher if events were enqueued.</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        await Transaction.CommitAsync(ct);
        if (HasEvents)
            _signal.Notify();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
