using Dapper;
using LazyAf.Kernel.Db;

namespace LazyAf.Modules.Pipelines.Data;

/// <summary>A pipeline stored through the API, as its YAML.</summary>
internal sealed record PipelineRow
{
    public required string Id { get; init; }
    public required string RepoId { get; init; }
    public required string Name { get; init; }
    public required string Yaml { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>The <c>pipelines_pipelines</c> table.</summary>
internal sealed class PipelineStore(IDatabase database)
{
    private const string Columns = "id AS Id, repo_id AS RepoId, name AS Name, yaml AS Yaml, created_at AS CreatedAt, updated_at AS UpdatedAt";
    private const string SelectById = $"SELECT {Columns} FROM pipelines_pipelines WHERE id = @Id";
    private const string SelectByName = $"SELECT {Columns} FROM pipelines_pipelines WHERE repo_id = @RepoId AND name = @Name";
    private const string SelectByRepo = $"SELECT {Columns} FROM pipelines_pipelines WHERE repo_id = @RepoId ORDER BY name";
    private const string Insert = """
        INSERT INTO pipelines_pipelines (id, repo_id, name, yaml, created_at, updated_at)
        VALUES (@Id, @RepoId, @Name, @Yaml, @CreatedAt, @UpdatedAt)
        ON CONFLICT DO NOTHING
        """;
    private const string Update = "UPDATE pipelines_pipelines SET name = @Name, yaml = @Yaml, updated_at = @UpdatedAt WHERE id = @Id";
    private const string Delete = "DELETE FROM pipelines_pipelines WHERE id = @Id";
    private const string DeleteOfRepo = "DELETE FROM pipelines_pipelines WHERE repo_id = @RepoId";

    public async Task<PipelineRow?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<PipelineRow>(new CommandDefinition(SelectById, new { Id = id }, cancellationToken: ct));
    }

    public async Task<PipelineRow?> FindByNameAsync(string repoId, string name, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<PipelineRow>(new CommandDefinition(SelectByName, new { RepoId = repoId, Name = name }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<PipelineRow>> ListAsync(string repoId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<PipelineRow>(new CommandDefinition(SelectByRepo, new { RepoId = repoId }, cancellationToken: ct))).AsList();
    }

    /// <summary>False when the repo already has a pipeline of that name.</summary>
    public async Task<bool> InsertAsync(PipelineRow row, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(Insert, row, cancellationToken: ct)) == 1;
    }

    /// <summary>False when the new name is taken by another pipeline of the repo.</summary>
    public async Task<bool> UpdateAsync(PipelineRow row, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        try
        {
            return await connection.ExecuteAsync(new CommandDefinition(Update, row, cancellationToken: ct)) == 1;
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == 19)
        {
            return false;
        }
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(Delete, new { Id = id }, cancellationToken: ct)) == 1;
    }

    public async Task DeleteOfRepoAsync(string repoId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(DeleteOfRepo, new { RepoId = repoId }, cancellationToken: ct));
    }
}
