using System.Globalization;
using System.Text.Json;
using Dapper;
using LazyAf.Kernel;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Runner.Agents;

namespace LazyAf.Modules.Execution.Data;

/// <summary>
/// <c>execution_agent_events</c> and <c>execution_agent_usage</c>: agent events are stored in the transaction of
/// the log batch that carried them, each with its <c>agent.event</c>, and the usage they report is kept current.
/// </summary>
internal sealed class AgentEventStore(IDatabase database)
{
    public sealed record StoredEvent(long Seq, DateTimeOffset At, string Data);

    private const string NextSeq = "SELECT COALESCE(MAX(seq), 0) + 1 FROM execution_agent_events WHERE execution_id = @ExecutionId";

    private const string Insert = """
        INSERT INTO execution_agent_events (execution_id, seq, at, kind, data) VALUES (@ExecutionId, @Seq, @At, @Kind, @Data)
        """;

    private const string Select = """
        SELECT seq AS Seq, at AS At, data AS Data FROM execution_agent_events
        WHERE execution_id = @ExecutionId AND seq > @After ORDER BY seq LIMIT @Limit
        """;

    private const string Upsert = """
        INSERT INTO execution_agent_usage (execution_id, session_id, model, turns, input_tokens, output_tokens, cost_usd)
        VALUES (@ExecutionId, @SessionId, @Model, @Turns, @InputTokens, @OutputTokens, @CostUsd)
        ON CONFLICT (execution_id) DO UPDATE SET
            session_id = excluded.session_id, model = excluded.model, turns = excluded.turns,
            input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, cost_usd = excluded.cost_usd
        """;

    private const string UsageColumns =
        "execution_id AS ExecutionId, session_id AS SessionId, model AS Model, turns AS Turns, input_tokens AS InputTokens, output_tokens AS OutputTokens, cost_usd AS CostUsd";

    private const string SelectUsage = $"SELECT {UsageColumns} FROM execution_agent_usage WHERE execution_id = @ExecutionId";
    private const string SelectUsages = $"SELECT {UsageColumns} FROM execution_agent_usage WHERE execution_id IN (SELECT value FROM json_each(@Ids))";

    public static async Task AppendAsync(WriteTransaction tx, IEventOutbox outbox, ExecutionIdentity execution, IReadOnlyList<AgentEvent> events, DateTimeOffset at, CancellationToken ct)
    {
        if (events.Count == 0)
            return;
        var seq = await tx.Connection.ExecuteScalarAsync<long>(new CommandDefinition(NextSeq, new { ExecutionId = execution.Id }, tx.Transaction, cancellationToken: ct));
        foreach (var e in events)
        {
            await tx.Connection.ExecuteAsync(new CommandDefinition(Insert, new
            {
                ExecutionId = execution.Id, Seq = seq, At = at, Kind = AgentEventJson.KindName(e.Kind), Data = JsonSerializer.Serialize(e, LazyAfJson.Options),
            }, tx.Transaction, cancellationToken: ct));
            if (e.Kind is AgentEventKind.SessionStarted or AgentEventKind.Usage or AgentEventKind.Result)
                await RecordUsageAsync(tx, execution.Id, e, ct);
            await outbox.EnqueueAsync(tx, new AgentEventRecorded(execution.Id, execution.Kind, execution.SubjectId, seq, at, e), ct);
            seq++;
        }
    }

    public async Task<IReadOnlyList<StoredEvent>> ReadAsync(string executionId, long after, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<StoredEvent>(new CommandDefinition(Select, new { ExecutionId = executionId, After = after, Limit = limit }, cancellationToken: ct))).AsList();
    }

    public async Task<ExecutionUsage?> UsageAsync(string executionId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await UsageAsync(connection, null, executionId, ct);
    }

    /// <summary>The usage of those of <paramref name="executionIds"/> that have one, by execution.</summary>
    public async Task<IReadOnlyDictionary<string, ExecutionUsage>> UsageAsync(IReadOnlyCollection<string> executionIds, CancellationToken ct)
    {
        if (executionIds.Count == 0)
            return new Dictionary<string, ExecutionUsage>();
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<UsageRow>(new CommandDefinition(SelectUsages, new { Ids = SqlList.Of(executionIds) }, cancellationToken: ct));
        return rows.ToDictionary(r => r.ExecutionId, Usage, StringComparer.Ordinal);
    }

    public static async Task<ExecutionUsage?> UsageAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string executionId, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<UsageRow>(new CommandDefinition(SelectUsage, new { ExecutionId = executionId }, transaction, cancellationToken: ct));
        return row is null ? null : Usage(row);
    }

    private static ExecutionUsage Usage(UsageRow row) => new(row.SessionId, row.Model, (int?)row.Turns, row.InputTokens, row.OutputTokens,
        row.CostUsd is { } cost ? decimal.Parse(cost, NumberStyles.Float, CultureInfo.InvariantCulture) : null);

    // Tokens and cost of Usage events add up (Codex reports them per turn); a Result carries the run's totals.
    private static async Task RecordUsageAsync(WriteTransaction tx, string executionId, AgentEvent e, CancellationToken ct)
    {
        var before = await UsageAsync(tx.Connection, tx.Transaction, executionId, ct) ?? new ExecutionUsage(null, null, null, 0, 0, null);
        var reported = e.Usage;
        var after = e.Kind switch
        {
            AgentEventKind.Usage => before with
            {
                InputTokens = before.InputTokens + reported!.InputTokens,
                OutputTokens = before.OutputTokens + reported.OutputTokens,
                CostUsd = before.CostUsd is null && reported.CostUsd is null ? null : (before.CostUsd ?? 0) + (reported.CostUsd ?? 0),
            },
            AgentEventKind.Result when reported is not null => before with
            {
                Turns = reported.Turns ?? before.Turns, InputTokens = reported.InputTokens, OutputTokens = reported.OutputTokens, CostUsd = reported.CostUsd ?? before.CostUsd,
            },
            _ => before,
        };
        after = after with { SessionId = e.SessionId ?? after.SessionId, Model = e.Model ?? after.Model };
        await tx.Connection.ExecuteAsync(new CommandDefinition(Upsert, new
        {
            ExecutionId = executionId, after.SessionId, after.Model, after.Turns, after.InputTokens, after.OutputTokens,
            CostUsd = after.CostUsd?.ToString(CultureInfo.InvariantCulture),
        }, tx.Transaction, cancellationToken: ct));
    }

    private sealed record UsageRow(string ExecutionId, string? SessionId, string? Model, long? Turns, long InputTokens, long OutputTokens, string? CostUsd);
}

/// <summary>Who an execution is, for the events about it.</summary>
internal sealed record ExecutionIdentity(string Id, string Kind, string? SubjectId);
