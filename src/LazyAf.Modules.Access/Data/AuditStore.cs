using Dapper;
using LazyAf.Kernel.Db;

namespace LazyAf.Modules.Access.Data;

/// <summary>The <c>access_audit</c> table: append-only.</summary>
internal sealed class AuditStore(IDatabase database)
{
    public sealed record Entry(long Id, DateTimeOffset At, string Actor, string Action, string Method, string Path, long Status, string? Remote);

    private const string Insert = """
        INSERT INTO access_audit (at, actor, action, method, path, status, remote)
        VALUES (@At, @Actor, @Action, @Method, @Path, @Status, @Remote)
        """;

    private const string SelectPage = """
        SELECT id AS Id, at AS At, actor AS Actor, action AS Action, method AS Method, path AS Path, status AS Status, remote AS Remote
        FROM access_audit WHERE id < @Before ORDER BY id DESC LIMIT @Limit
        """;

    public async Task AppendAsync(Entry entry, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Insert, entry, cancellationToken: ct));
    }

    /// <summary>Newest first, entries older than <paramref name="before"/>.</summary>
    public async Task<IReadOnlyList<Entry>> ListAsync(long before, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<Entry>(new CommandDefinition(SelectPage, new { Before = before, Limit = limit }, cancellationToken: ct))).AsList();
    }
}
