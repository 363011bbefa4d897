using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Domain;

namespace LazyAf.Modules.Cards.Data;

/// <summary>The <c>cards_cards</c> table.</summary>
internal sealed class CardStore(IDatabase database)
{
    private const string Columns = """
        id AS Id, repo_id AS RepoId, title AS Title, description AS Description, status AS Status,
        step_type AS StepType, step_config AS StepConfig, branch_name AS BranchName, base_branch AS BaseBranch,
        position AS Position, requires AS Requires, auto_start AS AutoStart, ready_at AS ReadyAt,
        created_at AS CreatedAt, updated_at AS UpdatedAt, version AS Version
        """;

    private const string SelectById = $"SELECT {Columns} FROM cards_cards WHERE id = @Id";

    private const string SelectByRepo = $"""
        SELECT {Columns} FROM cards_cards
        WHERE repo_id = @RepoId AND (@Status IS NULL OR status = @Status)
        ORDER BY CASE status WHEN 'todo' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'in_review' THEN 2 WHEN 'done' THEN 3 ELSE 4 END,
                 position, created_at
        """;

    // Pages follow the rowid: SQLite hands it out in commit order (one writer), so a card added while a client pages
    // lands after every card it has already been sent. Indexes on (repo_id) and (repo_id, status) end in the rowid.
    private const string SelectPage = $"""
        SELECT {ListColumns} FROM cards_cards
        WHERE repo_id = @RepoId AND rowid > @After ORDER BY rowid LIMIT @Take
        """;

    private const string SelectPageByStatus = $"""
        SELECT {ListColumns} FROM cards_cards
        WHERE repo_id = @RepoId AND status = @Status AND rowid > @After ORDER BY rowid LIMIT @Take
        """;

    // What a list shows of a card: not its description or step configuration, which a page of 200 would read for nothing.
    private const string ListColumns = """
        rowid AS Seq, id AS Id, repo_id AS RepoId, title AS Title, status AS Status, step_type AS StepType,
        branch_name AS BranchName, position AS Position, requires AS Requires, auto_start AS AutoStart,
        created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    private const string SelectNextPosition = "SELECT COALESCE(MAX(position), -1) + 1 FROM cards_cards WHERE repo_id = @RepoId AND status = @Status";

    private const string Insert = """
        INSERT INTO cards_cards (id, repo_id, title, description, status, step_type, step_config, branch_name, base_branch,
                                 position, requires, auto_start, ready_at, created_at, updated_at, version)
        VALUES (@Id, @RepoId, @Title, @Description, @Status, @StepType, @StepConfig, @BranchName, @BaseBranch,
                @Position, @Requires, @AutoStart, @ReadyAt, @CreatedAt, @UpdatedAt, @Version)
        """;

    // Optimistic: the write lands only on the version the caller read.
    private const string Update = """
        UPDATE cards_cards
        SET title = @Title, description = @Description, status = @Status, step_type = @StepType, step_config = @StepConfig,
            branch_name = @BranchName, base_branch = @BaseBranch, position = @Position, requires = @Requires,
            auto_start = @AutoStart, ready_at = @ReadyAt, updated_at = @UpdatedAt, version = @Version + 1
        WHERE id = @Id AND version = @Version
        """;

    private const string Delete = "DELETE FROM cards_cards WHERE id = @Id";

    public async Task<CardRow?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<CardRow>(new CommandDefinition(SelectById, new { Id = id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<CardRow>> ListAsync(string repoId, string? status, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<CardRow>(new CommandDefinition(SelectByRepo, new { RepoId = repoId, Status = status }, cancellationToken: ct))).AsList();
    }

    /// <summary>One page of a repo's cards in the order they were added, with each card's key for the next page.</summary>
    public async Task<IReadOnlyList<CardListRow>> ListPageAsync(string repoId, string? status, PageRequest page, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<CardListRow>(
            new CommandDefinition(status is null ? SelectPage : SelectPageByStatus, new { RepoId = repoId, Status = status, page.After, page.Take }, cancellationToken: ct))).AsList();
    }

    public static Task<int> NextPositionAsync(WriteTransaction tx, string repoId, string status, CancellationToken ct) =>
        tx.Connection.ExecuteScalarAsync<int>(new CommandDefinition(SelectNextPosition, new { RepoId = repoId, Status = status }, tx.Transaction, cancellationToken: ct));

    public static Task InsertAsync(WriteTransaction tx, CardRow row, CancellationToken ct) =>
        tx.Connection.ExecuteAsync(new CommandDefinition(Insert, row, tx.Transaction, cancellationToken: ct));

    /// <summary>Saves <paramref name="row"/> if the stored card is still at <c>row.Version</c>; false when someone else wrote first.</summary>
    public static async Task<bool> TryUpdateAsync(WriteTransaction tx, CardRow row, CancellationToken ct) =>
        await tx.Connection.ExecuteAsync(new CommandDefinition(Update, row, tx.Transaction, cancellationToken: ct)) == 1;

    public static async Task<bool> DeleteAsync(WriteTransaction tx, string id, CancellationToken ct) =>
        await tx.Connection.ExecuteAsync(new CommandDefinition(Delete, new { Id = id }, tx.Transaction, cancellationToken: ct)) == 1;
}
