using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Repos.Domain;

namespace LazyAf.Modules.Repos.Data;

/// <summary>
/// Records every accepted ref update and publishes its <see cref="PushReceived"/> event in the
/// same transaction, so an update is never recorded without its event or the other way round.
/// </summary>
internal sealed class RefUpdateLog(IDatabase database, IEventOutbox outbox, TimeProvider clock)
{
    private const string InsertPush = """
        INSERT OR IGNORE INTO repos_pushes (id, repo_id, source, received_at)
        SELECT @Id, @RepoId, @Source, @ReceivedAt WHERE EXISTS (SELECT 1 FROM repos_repos WHERE id = @RepoId)
        """;

    private const string InsertUpdate = """
        INSERT INTO repos_ref_updates (push_id, ref_name, old_sha, new_sha) VALUES (@PushId, @Ref, @OldSha, @NewSha)
        """;

    private const string SelectRecent = """
        SELECT p.id AS PushId, p.source AS Source, p.received_at AS ReceivedAt,
               u.ref_name AS Ref, u.old_sha AS OldSha, u.new_sha AS NewSha
        FROM repos_pushes p JOIN repos_ref_updates u ON u.push_id = p.id
        WHERE p.repo_id = @RepoId
        ORDER BY p.received_at DESC, u.id
        LIMIT @Limit
        """;

    public sealed record RecordedRefUpdate(string PushId, string Source, DateTimeOffset ReceivedAt, string Ref, string OldSha, string NewSha);

    /// <summary>
    /// Records one push. Idempotent by <paramref name="pushId"/>: recording the same push again
    /// (a recovery after a crash) changes nothing and publishes nothing.
    /// </summary>
    public async Task RecordAsync(string repoId, string pushId, string source, IReadOnlyList<RefUpdate> updates, CancellationToken ct)
    {
        if (updates.Count == 0)
            return;
        var receivedAt = clock.GetUtcNow();
        await using var tx = await database.BeginWriteAsync(ct);
        var inserted = await tx.Connection.ExecuteAsync(new CommandDefinition(
            InsertPush, new { Id = pushId, RepoId = repoId, Source = source, ReceivedAt = receivedAt }, tx.Transaction, cancellationToken: ct));
        if (inserted == 0)
            return;

        foreach (var update in updates)
        {
            await tx.Connection.ExecuteAsync(new CommandDefinition(
                InsertUpdate, new { PushId = pushId, update.Ref, update.OldSha, update.NewSha }, tx.Transaction, cancellationToken: ct));
            await outbox.EnqueueAsync(tx, new PushReceived(repoId, pushId, update.Ref, update.OldSha, update.NewSha, source, receivedAt), ct);
        }
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<RecordedRefUpdate>> RecentAsync(string repoId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<RecordedRefUpdate>(new CommandDefinition(SelectRecent, new { RepoId = repoId, Limit = limit }, cancellationToken: ct))).AsList();
    }
}
