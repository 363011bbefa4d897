using Dapper;
using LazyAf.Kernel.Db;

namespace LazyAf.Modules.Cards.Data;

/// <summary>A card's past: its state-machine moves (<c>cards_transitions</c>) and its attempts (<c>cards_attempts</c>).</summary>
internal sealed class CardHistoryStore(IDatabase database)
{
    public sealed record TransitionEntry(long Id, string FromStatus, string ToStatus, string Trigger, string Actor, string? Reason, DateTimeOffset At);

    public sealed record AttemptEntry(
        long Number, string? ExecutionId, string? Branch, string? Outcome, string? TestSummary, double? CostUsd, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt);

    private const string InsertTransition = """
        INSERT INTO cards_transitions (card_id, from_status, to_status, trigger, actor, reason, at)
        VALUES (@CardId, @From, @To, @Trigger, @Actor, @Reason, @At)
        """;

    private const string SelectTransitions = """
        SELECT id AS Id, from_status AS FromStatus, to_status AS ToStatus, trigger AS Trigger, actor AS Actor, reason AS Reason, at AS At
        FROM cards_transitions WHERE card_id = @CardId ORDER BY id
        """;

    private const string SelectAttempts = """
        SELECT number AS Number, execution_id AS ExecutionId, branch AS Branch, outcome AS Outcome, test_summary AS TestSummary,
               cost_usd AS CostUsd, started_at AS StartedAt, finished_at AS FinishedAt
        FROM cards_attempts WHERE card_id = @CardId ORDER BY number
        """;

    public static Task RecordTransitionAsync(
        WriteTransaction tx, string cardId, string from, string to, string trigger, string actor, string? reason, DateTimeOffset at, CancellationToken ct) =>
        tx.Connection.ExecuteAsync(new CommandDefinition(
            InsertTransition, new { CardId = cardId, From = from, To = to, Trigger = trigger, Actor = actor, Reason = reason, At = at }, tx.Transaction, cancellationToken: ct));

    public async Task<IReadOnlyList<TransitionEntry>> TransitionsAsync(string cardId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<TransitionEntry>(new CommandDefinition(SelectTransitions, new { CardId = cardId }, cancellationToken: ct))).AsList();
    }

    public async Task<IReadOnlyList<AttemptEntry>> AttemptsAsync(string cardId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<AttemptEntry>(new CommandDefinition(SelectAttempts, new { CardId = cardId }, cancellationToken: ct))).AsList();
    }
}
