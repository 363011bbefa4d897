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
    private readonly List<Func<Task>> _afterCommit = [];

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

    /// <summary>
    /// Runs <paramref name="action"/> once the transaction has committed, and never if it rolls back: work that should
    /// take effect at once rather than when the dispatcher delivers an event. A crash between the commit and the action
    /// skips it, so what it does must also follow from something durable in the transaction (an event enqueued in it).
    /// </summary>
    public void AfterCommit(Func<Task> action) => _afterCommit.Add(action);

    /// <summary>Commits, wakes the event dispatcher if events were enqueued, then runs the after-commit actions in order.</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        await Transaction.CommitAsync(ct);
        if (HasEvents)
            _signal.Notify();
        foreach (var action in _afterCommit)
            await action();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
