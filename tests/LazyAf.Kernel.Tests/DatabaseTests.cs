using Dapper;
using LazyAf.Kernel.Db;
using Microsoft.Data.Sqlite;

namespace LazyAf.Kernel.Tests;

/// <summary>The settings every connection of the host's database has, whether it is new or comes back from the pool.</summary>
public sealed class DatabaseTests : IDisposable
{
    private readonly Testing.TempDir _dir = TestDirs.New();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_connection_new_or_from_the_pool_has_wal_normal_sync_foreign_keys_a_busy_timeout_and_a_wal_size_limit()
    {
        await using var host = await KernelHost.StartAsync(_dir.Path);
        var database = host.Get<IDatabase>();
        SQLitePCL.sqlite3 first;
        await using (var connection = await database.OpenAsync(default))
        {
            first = connection.Handle!;
            await AssertConfiguredAsync(connection);
        }

        // Back from the pool (the same SQLite connection), then a second one beside it (a new one).
        await using var pooled = await database.OpenAsync(default);
        await using var beside = await database.OpenAsync(default);

        Assert.Same(first, pooled.Handle);
        Assert.NotSame(first, beside.Handle);
        await AssertConfiguredAsync(pooled);
        await AssertConfiguredAsync(beside);
    }

    private static async Task AssertConfiguredAsync(SqliteConnection connection)
    {
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("PRAGMA synchronous"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
        Assert.Equal(30000, await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout"));
        Assert.Equal(67108864, await connection.ExecuteScalarAsync<long>("PRAGMA journal_size_limit"));
    }
}
