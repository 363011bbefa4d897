using Dapper;
using LazyAf.Kernel.Db;

namespace LazyAf.Modules.Cards.Data;

/// <summary>The <c>cards_dependencies</c> table: which card is blocked by which.</summary>
internal sealed class DependencyStore(IDatabase database)
{
    public sealed record Blocker(string Id, string Title, string Status);

    public sealed record Edge(string CardId, string BlockerId);

    /// <summary>A blocker of one card of a repo, for listing the repo's cards in one query.</summary>
    public sealed record RepoBlocker(string CardId, string Id, string Title, string Status);

    private const string SelectBlockers = """
        SELECT c.id AS Id, c.title AS Title, c.status AS Status
        FROM cards_dependencies d JOIN cards_cards c ON c.id = d.blocker_id
        WHERE d.card_id = @CardId ORDER BY c.created_at
        """;

    private const string SelectRepoEdges = """
        SELECT d.card_id AS CardId, d.blocker_id AS BlockerId
        FROM cards_dependencies d JOIN cards_cards c ON c.id = d.card_id
        WHERE c.repo_id = @RepoId
        """;

    private const string SelectBlockersOf = """
        SELECT d.card_id AS CardId, b.id AS Id, b.title AS Title, b.status AS Status
        FROM cards_dependencies d
        JOIN cards_cards b ON b.id = d.blocker_id
        WHERE d.card_id IN (SELECT value FROM json_each(@CardIds)) ORDER BY b.created_at
        """;

    private const string SelectDependents = "SELECT card_id FROM cards_dependencies WHERE blocker_id = @BlockerId";

    private const string Insert = "INSERT OR IGNORE INTO cards_dependencies (card_id, blocker_id) VALUES (@CardId, @BlockerId)";

    private const string Delete = "DELETE FROM cards_dependencies WHERE card_id = @CardId AND blocker_id = @BlockerId";

    public async Task<IReadOnlyList<Blocker>> BlockersAsync(string cardId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<Blocker>(new CommandDefinition(SelectBlockers, new { CardId = cardId }, cancellationToken: ct))).AsList();
    }

    /// <summary>The blockers of the cards <paramref name="cardIds"/> (one page of a listing), by card.</summary>
    public async Task<ILookup<string, Blocker>> BlockersOfAsync(IReadOnlyList<string> cardIds, CancellationToken ct)
    {
        if (cardIds.Count == 0)
            return Array.Empty<RepoBlocker>().ToLookup(r => r.CardId, r => new Blocker(r.Id, r.Title, r.Status));
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<RepoBlocker>(new CommandDefinition(SelectBlockersOf, new { CardIds = SqlList.Of(cardIds) }, cancellationToken: ct));
        return rows.ToLookup(r => r.CardId, r => new Blocker(r.Id, r.Title, r.Status));
    }

    public static async Task<IReadOnlyList<Edge>> RepoEdgesAsync(WriteTransaction tx, string repoId, CancellationToken ct) =>
        (await tx.Connection.QueryAsync<Edge>(new CommandDefinition(SelectRepoEdges, new { RepoId = repoId }, tx.Transaction, cancellationToken: ct))).AsList();

    public async Task<IReadOnlyList<string>> DependentsAsync(string blockerId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(SelectDependents, new { BlockerId = blockerId }, cancellationToken: ct))).AsList();
    }

    public static Task AddAsync(WriteTransaction tx, string cardId, string blockerId, CancellationToken ct) =>
        tx.Connection.ExecuteAsync(new CommandDefinition(Insert, new { CardId = cardId, BlockerId = blockerId }, tx.Transaction, cancellationToken: ct));

    public async Task<bool> RemoveAsync(string cardId, string blockerId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(Delete, new { CardId = cardId, BlockerId = blockerId }, cancellationToken: ct)) == 1;
    }
}
