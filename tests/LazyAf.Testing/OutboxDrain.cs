using System.Data.Common;
using LazyAf.Kernel.Db;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Testing;

/// <summary>
/// Waits until the host's outbox holds no undispatched event: every event so far has been through all its handlers,
/// and any event they published has too. What a negative check waits for ("approving the first blocker releases
/// nothing") instead of a fixed sleep.
/// </summary>
public static class OutboxDrain
{
    // A dead letter waits for a person, not for the dispatcher.
    private const string Pending = "SELECT COUNT(*) FROM kernel_outbox WHERE dispatched_at IS NULL AND dead_at IS NULL";

    public static Task WaitAsync(IServiceProvider services) =>
        WaitAsync(async () => await services.GetRequiredService<IDatabase>().OpenAsync(CancellationToken.None));

    /// <summary>For a host in another process: read its SQLite file directly.</summary>
    public static Task WaitAsync(string sqliteFile) => WaitAsync(async () =>
    {
        var connection = new SqliteConnection($"Data Source={sqliteFile}");
        await connection.OpenAsync();
        return connection;
    });

    private static Task WaitAsync(Func<Task<DbConnection>> open)
    {
        async Task<long> PendingAsync()
        {
            await using var connection = await open();
            await using var command = connection.CreateCommand();
            command.CommandText = Pending;
            return (long)(await command.ExecuteScalarAsync())!;
        }
        return Eventually.HoldsAsync(async () => await PendingAsync() == 0, async () => $"{await PendingAsync()} events not yet dispatched");
    }
}
