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

    // Tokens of a Usage event add up (Codex reports them per turn); a Result carries the run's totals.
    private const string Upsert = """
        INSERT INTO execution_agent_usage (execution_id, session_id, model, turns, input_tokens, output_tokens, cost_usd)
        VALUES (@ExecutionId, @SessionId, @Model, @Turns, @InputTokens, @OutputTokens, @CostUsd)
        ON CONFLICT (execution_id) DO UPDATE SET
            session_id = COALESCE(excluded.session_id, session_id),
            model = COALESCE(excluded.model, model),
            turns = COALESCE(excluded.turns, turns),
            input_tokens = CASE WHEN @Totals THEN excluded.input_tokens ELSE input_tokens + excluded.input_tokens END,
            output_tokens = CASE WHEN @Totals THEN excluded.output_tokens ELSE output_tokens + excluded.output_tokens END,
            cost_usd = CASE WHEN @Totals OR cost_usd IS NULL THEN COALESCE(excluded.cost_usd, cost_usd)
                            ELSE CAST(CAST(cost_usd AS REAL) + COALESCE(CAST(excluded.cost_usd AS REAL), 0) AS TEXT) END
        """;

    private const string SelectUsage = """
        SELECT session_id AS SessionId, model AS Model, turns AS Turns, input_tokens AS InputTokens, output_tokens AS OutputTokens, cost_usd AS CostUsd
        FROM execution_agent_usage WHERE execution_id = @ExecutionId
        """;

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

    public static async Task<ExecutionUsage?> UsageAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string executionId, CancellationToken ct)
    {
        var row = await connection.QuerySingleOrDefaultAsync<UsageRow>(new CommandDefinition(SelectUsage, new { ExecutionId = executionId }, transaction, cancellationToken: ct));
        return row is null ? null : new ExecutionUsage(row.SessionId, row.Model, (int?)row.Turns, row.InputTokens, row.OutputTokens,
            row.CostUsd is { } cost ? decimal.Parse(cost, NumberStyles.Float, CultureInfo.InvariantCulture) : null);
    }

    private static Task<int> RecordUsageAsync(WriteTransaction tx, string executionId, AgentEvent e, CancellationToken ct) =>
        tx.Connection.ExecuteAsync(new CommandDefinition(Upsert, new
        {
            ExecutionId = executionId,
            e.SessionId,
            e.Model,
            e.Usage?.Turns,
            InputTokens = e.Usage?.InputTokens ?? 0,
            OutputTokens = e.Usage?.OutputTokens ?? 0,
            CostUsd = e.Usage?.CostUsd?.ToString(CultureInfo.InvariantCulture),
            Totals = e.Kind != AgentEventKind.Usage,
        }, tx.Transaction, cancellationToken: ct));

    private sealed record UsageRow(string? SessionId, string? Model, long? Turns, long InputTokens, long OutputTokens, string? CostUsd);
}

/// <summary>Who an execution is, for the events about it.</summary>
internal sealed record ExecutionIdentity(string Id, string Kind, string? SubjectId);
