using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Modules.Agents.Domain;
using Microsoft.Data.Sqlite;

namespace LazyAf.Modules.Agents.Data;

/// <summary>The <c>agents_files</c> table: platform agent files, unique by name (case-insensitive).</summary>
internal sealed class AgentFileStore(IDatabase database)
{
    private const string Columns = "id AS Id, name AS Name, description AS Description, content AS Content, model AS Model, created_at AS CreatedAt, updated_at AS UpdatedAt";
    private const string SelectAll = $"SELECT {Columns} FROM agents_files ORDER BY name";
    private const string SelectById = $"SELECT {Columns} FROM agents_files WHERE id = @Id";
    private const string SelectByName = $"SELECT {Columns} FROM agents_files WHERE name = @Name";

    private const string Upsert = """
        INSERT INTO agents_files (id, name, description, content, model, created_at, updated_at)
        VALUES (@Id, @Name, @Description, @Content, @Model, @CreatedAt, @UpdatedAt)
        ON CONFLICT (id) DO UPDATE SET name = @Name, description = @Description, content = @Content, model = @Model, updated_at = @UpdatedAt
        """;

    private const string Delete = "DELETE FROM agents_files WHERE id = @Id";

    public async Task<IReadOnlyList<AgentFile>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<AgentFile>(new CommandDefinition(SelectAll, cancellationToken: ct))).AsList();
    }

    public async Task<AgentFile?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<AgentFile>(new CommandDefinition(SelectById, new { Id = id }, cancellationToken: ct));
    }

    public async Task<AgentFile?> FindByNameAsync(string name, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<AgentFile>(new CommandDefinition(SelectByName, new { Name = name }, cancellationToken: ct));
    }

    /// <summary>Inserts or replaces by id; false when another agent file has the name.</summary>
    public async Task<bool> TrySaveAsync(AgentFile file, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(Upsert, file, cancellationToken: ct));
            return true;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            return false;
        }
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(Delete, new { Id = id }, cancellationToken: ct)) == 1;
    }
}
