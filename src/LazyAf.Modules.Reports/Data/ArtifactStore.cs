using Dapper;
using LazyAf.Kernel.Db;

namespace LazyAf.Modules.Reports.Data;

/// <summary>An artifact of an execution.</summary>
internal sealed record ArtifactRow
{
    public string ExecutionId { get; init; } = "";
    public string Name { get; init; } = "";
    public string RepoId { get; init; } = "";
    public string Sha256 { get; init; } = "";
    public long SizeBytes { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>The <c>reports_artifacts</c> table: which execution kept which file under which content hash.</summary>
internal sealed class ArtifactStore(IDatabase database)
{
    private const string Columns = "execution_id AS ExecutionId, name AS Name, repo_id AS RepoId, sha256 AS Sha256, size_bytes AS SizeBytes, created_at AS CreatedAt";
    private const string SelectOfExecution = $"SELECT {Columns} FROM reports_artifacts WHERE execution_id = @ExecutionId ORDER BY name";
    private const string SelectOne = $"SELECT {Columns} FROM reports_artifacts WHERE execution_id = @ExecutionId AND name = @Name";
    private const string SelectRepoTotal = "SELECT COALESCE(SUM(size_bytes), 0) FROM reports_artifacts WHERE repo_id = @RepoId";
    private const string SelectTotal = "SELECT COALESCE(SUM(size_bytes), 0) FROM reports_artifacts";
    private const string SelectOlderThan = $"SELECT {Columns} FROM reports_artifacts WHERE created_at < @Before ORDER BY created_at LIMIT @Limit";
    private const string SelectOldest = $"SELECT {Columns} FROM reports_artifacts ORDER BY created_at LIMIT @Limit";
    private const string SelectOfRepo = $"SELECT {Columns} FROM reports_artifacts WHERE repo_id = @RepoId";
    private const string Delete = "DELETE FROM reports_artifacts WHERE execution_id = @ExecutionId AND name = @Name";
    private const string IsReferenced = "SELECT EXISTS (SELECT 1 FROM reports_artifacts WHERE sha256 = @Sha256)";

    // Collected again (a re-attached step) keeps the first.
    private const string Insert = """
        INSERT INTO reports_artifacts (execution_id, name, repo_id, sha256, size_bytes, created_at)
        VALUES (@ExecutionId, @Name, @RepoId, @Sha256, @SizeBytes, @CreatedAt)
        ON CONFLICT DO NOTHING
        """;

    public async Task AddAsync(IReadOnlyList<ArtifactRow> rows, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        await tx.Connection.ExecuteAsync(new CommandDefinition(Insert, rows, tx.Transaction, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<ArtifactRow>> OfExecutionAsync(string executionId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<ArtifactRow>(new CommandDefinition(SelectOfExecution, new { ExecutionId = executionId }, cancellationToken: ct))];
    }

    public async Task<ArtifactRow?> FindAsync(string executionId, string name, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ArtifactRow>(new CommandDefinition(SelectOne, new { ExecutionId = executionId, Name = name }, cancellationToken: ct));
    }

    public async Task<long> RepoTotalAsync(string repoId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(SelectRepoTotal, new { RepoId = repoId }, cancellationToken: ct));
    }

    public async Task<long> TotalAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(SelectTotal, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<ArtifactRow>> OlderThanAsync(DateTimeOffset before, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<ArtifactRow>(new CommandDefinition(SelectOlderThan, new { Before = before, Limit = limit }, cancellationToken: ct))];
    }

    public async Task<IReadOnlyList<ArtifactRow>> OldestAsync(int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<ArtifactRow>(new CommandDefinition(SelectOldest, new { Limit = limit }, cancellationToken: ct))];
    }

    public async Task<IReadOnlyList<ArtifactRow>> OfRepoAsync(string repoId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<ArtifactRow>(new CommandDefinition(SelectOfRepo, new { RepoId = repoId }, cancellationToken: ct))];
    }

    /// <summary>Deletes the rows; returns the content hashes no artifact refers to any more.</summary>
    public async Task<IReadOnlyList<string>> DeleteAsync(IReadOnlyList<ArtifactRow> rows, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        await tx.Connection.ExecuteAsync(new CommandDefinition(Delete, rows, tx.Transaction, cancellationToken: ct));
        var unreferenced = new List<string>();
        foreach (var sha in rows.Select(r => r.Sha256).Distinct(StringComparer.Ordinal))
        {
            if (!await tx.Connection.ExecuteScalarAsync<bool>(new CommandDefinition(IsReferenced, new { Sha256 = sha }, tx.Transaction, cancellationToken: ct)))
                unreferenced.Add(sha);
        }
        await tx.CommitAsync(ct);
        return unreferenced;
    }
}
