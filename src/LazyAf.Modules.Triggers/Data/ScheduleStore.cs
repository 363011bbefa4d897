using Dapper;
using LazyAf.Kernel.Db;

namespace LazyAf.Modules.Triggers.Data;

/// <summary>The <c>triggers_schedules</c> table: per schedule trigger, the last cron slot it fired for.</summary>
internal sealed class ScheduleStore(IDatabase database)
{
    private const string Select = "SELECT last_slot_at FROM triggers_schedules WHERE repo_id = @RepoId AND pipeline = @Pipeline AND cron = @Cron";

    private const string InsertFirstSeen = """
        INSERT INTO triggers_schedules (repo_id, pipeline, cron, last_slot_at) VALUES (@RepoId, @Pipeline, @Cron, @At)
        ON CONFLICT (repo_id, pipeline, cron) DO NOTHING
        """;

    // Only over the slot that was read, so two evaluations that overlap fire a slot once.
    private const string Advance = """
        UPDATE triggers_schedules SET last_slot_at = @Slot
        WHERE repo_id = @RepoId AND pipeline = @Pipeline AND cron = @Cron AND last_slot_at = @Previous
        """;

    public async Task<DateTimeOffset?> LastSlotAsync(string repoId, string pipeline, string cron, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<DateTimeOffset?>(new CommandDefinition(Select, new { RepoId = repoId, Pipeline = pipeline, Cron = cron }, cancellationToken: ct));
    }

    /// <summary>Starts counting a newly seen schedule from <paramref name="at"/>: slots before it never fire.</summary>
    public async Task FirstSeenAsync(string repoId, string pipeline, string cron, DateTimeOffset at, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(InsertFirstSeen, new { RepoId = repoId, Pipeline = pipeline, Cron = cron, At = at }, cancellationToken: ct));
    }

    public static async Task<bool> TryAdvanceAsync(WriteTransaction tx, string repoId, string pipeline, string cron, DateTimeOffset previous, DateTimeOffset slot, CancellationToken ct) =>
        await tx.Connection.ExecuteAsync(new CommandDefinition(Advance,
            new { RepoId = repoId, Pipeline = pipeline, Cron = cron, Previous = previous, Slot = slot }, tx.Transaction, cancellationToken: ct)) == 1;
}
