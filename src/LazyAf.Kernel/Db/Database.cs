using System.Runtime.CompilerServices;
using LazyAf.Kernel.Events;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LazyAf.Kernel.Db;

/// <summary>The one SQLite database of a LazyAF host (WAL, one file under the data directory).</summary>
public interface IDatabase
{
    /// <summary>Opens a connection for reads or for writes that publish no events.</summary>
    Task<SqliteConnection> OpenAsync(CancellationToken ct);

    /// <summary>Opens a connection and begins an immediate (write-locking) transaction.</summary>
    Task<WriteTransaction> BeginWriteAsync(CancellationToken ct);
}

internal sealed class SqliteDatabase : IDatabase
{
    private readonly string _connectionString;
    private readonly CommitSignal _signal;

    // The SQLite connections the pragmas below were run on: a pooled connection keeps its settings, so an open that
    // gets one back from the pool runs no statement before the caller's (a card page opens one, a dispatch several).
    private readonly ConditionalWeakTable<sqlite3, object> _configured = new();
    private static readonly object Configured = new();

    public SqliteDatabase(LazyAfOptions options, CommitSignal signal)
    {
        Directory.CreateDirectory(options.DataDir);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(options.DataDir, "lazyaf.db"),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _signal = signal;
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct);
            var handle = connection.Handle!;
            if (_configured.TryGetValue(handle, out _))
                return connection;
            await using var pragmas = connection.CreateCommand();
            // WAL lets readers run beside the one writer; NORMAL sync is durable in WAL mode except on power loss.
            // Without a size limit the WAL file keeps the size of the largest burst (a 200 MB log) after checkpoints.
            pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; PRAGMA journal_size_limit=67108864;";
            await pragmas.ExecuteNonQueryAsync(ct);
            _configured.AddOrUpdate(handle, Configured);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<WriteTransaction> BeginWriteAsync(CancellationToken ct)
    {
        var connection = await OpenAsync(ct);
        // Immediate, so two writers queue on the lock instead of failing to upgrade a read lock.
        var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        return new WriteTransaction(connection, transaction, _signal);
    }
}
