using LazyAf.Kernel.Db;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Testing;

/// <summary>
/// Waits until the host's outbox holds no undispatched event: every event so far has been through all its handlers,
/// and any event they published has too. What a negative check waits for ("approving the first blocker releases
/// nothing") instead of a fixed sleep.
/// </summary>
public static class OutboxDrain
{
    public static Task WaitAsync(IServiceProvider services) =>
        Eventually.HoldsAsync(async () => await PendingAsync(services) == 0, async () => $"{await PendingAsync(services)} events not yet dispatched");

    private static async Task<long> PendingAsync(IServiceProvider services)
    {
        await using var connection = await services.GetRequiredService<IDatabase>().OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        // A dead letter waits for a person, not for the dispatcher.
        command.CommandText = "SELECT COUNT(*) FROM kernel_outbox WHERE dispatched_at IS NULL AND dead_at IS NULL";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
