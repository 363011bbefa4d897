using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Modules.Execution.Contracts;

namespace LazyAf.Modules.Cards.Data;

/// <summary>A card's past: its state-machine moves (<c>cards_transitions</c>) and its attempts (<c>cards_attempts</c>).</summary>
internal sealed class CardHistoryStore(IDatabase database)
{
    public sealed record TransitionEntry(long Id, string FromStatus, string ToStatus, string Trigger, string Actor, string? Reason, DateTimeOffset At);

    public sealed record AttemptEntry(
        long Number, string? ExecutionId, string? Branch, string? Outcome, string? TestSummary, double? CostUsd, long? InputTokens, long? OutputTokens,
        string? AgentSessionId, string? FollowUp, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt);

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
               cost_usd AS CostUsd, input_tokens AS InputTokens, output_tokens AS OutputTokens, agent_session_id AS AgentSessionId,
               follow_up AS FollowUp, started_at AS StartedAt, finished_at AS FinishedAt
        FROM cards_attempts WHERE card_id = @CardId ORDER BY number
        """;

    private const string InsertAttempt = """
        INSERT INTO cards_attempts (card_id, number, execution_id, branch, follow_up, started_at)
        VALUES (@CardId, (SELECT COALESCE(MAX(number), 0) + 1 FROM cards_attempts WHERE card_id = @CardId), @ExecutionId, @Branch, @FollowUp, @At)
        """;

    // Only an open attempt is closed: a redelivered result changes nothing.
    private const string FinishAttempt = """
        UPDATE cards_attempts SET outcome = @Outcome, test_summary = @Tests, finished_at = @At, commit_sha = @CommitSha,
            cost_usd = @CostUsd, input_tokens = @InputTokens, output_tokens = @OutputTokens, agent_session_id = @SessionId
        WHERE card_id = @CardId AND execution_id = @ExecutionId AND outcome IS NULL
        """;

    private const string SelectCostsOf = """
        SELECT card_id AS CardId, SUM(COALESCE(cost_usd, 0.0)) AS CostUsd
        FROM cards_attempts WHERE card_id IN (SELECT value FROM json_each(@CardIds)) GROUP BY card_id
        """;

    // Settable properties, not a positional record: with no rows SQLite cannot say that SUM is a number, and Dapper would refuse the constructor.
    private sealed class CardCost
    {
        public string CardId { get; init; } = "";
        public double CostUsd { get; init; }
    }

    private const string SelectLatestExecution = "SELECT execution_id FROM cards_attempts WHERE card_id = @CardId ORDER BY number DESC LIMIT 1";

    /// <summary>Opens the next attempt (numbered after the last) for an execution; returns its number.</summary>
    public static async Task<long> StartAttemptAsync(WriteTransaction tx, string cardId, string executionId, string branch, string? followUp, DateTimeOffset at, CancellationToken ct)
    {
        await tx.Connection.ExecuteAsync(new CommandDefinition(
            InsertAttempt, new { CardId = cardId, ExecutionId = executionId, Branch = branch, FollowUp = followUp, At = at }, tx.Transaction, cancellationToken: ct));
        return await tx.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT number FROM cards_attempts WHERE card_id = @CardId AND execution_id = @ExecutionId", new { CardId = cardId, ExecutionId = executionId }, tx.Transaction, cancellationToken: ct));
    }

    /// <summary>Closes the attempt of an execution, with the commit it left; false when it was closed already.</summary>
    public static async Task<bool> FinishAttemptAsync(
        WriteTransaction tx, string cardId, string executionId, string outcome, string? tests, string? commitSha, ExecutionUsage? usage, DateTimeOffset at, CancellationToken ct) =>
        await tx.Connection.ExecuteAsync(new CommandDefinition(FinishAttempt, new
        {
            CardId = cardId, ExecutionId = executionId, Outcome = outcome, Tests = tests, CommitSha = commitSha, At = at,
            CostUsd = (double?)usage?.CostUsd, usage?.InputTokens, usage?.OutputTokens, usage?.SessionId,
        }, tx.Transaction, cancellationToken: ct)) == 1;

    private const string SelectTestedCommit = """
        SELECT commit_sha FROM cards_attempts WHERE card_id = @CardId AND outcome IS NOT NULL ORDER BY number DESC LIMIT 1
        """;

    /// <summary>The commit the card's newest finished attempt left on its branch: what was tested. Null before any (or for attempts made before it was kept).</summary>
    public async Task<string?> TestedCommitAsync(string cardId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(SelectTestedCommit, new { CardId = cardId }, cancellationToken: ct));
    }

    private const string SelectLatestSession = """
        SELECT agent_session_id FROM cards_attempts WHERE card_id = @CardId AND agent_session_id IS NOT NULL ORDER BY number DESC LIMIT 1
        """;

    /// <summary>The agent session of the card's newest attempt that had one, for a follow-up to continue.</summary>
    public async Task<string?> LatestSessionAsync(string cardId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(SelectLatestSession, new { CardId = cardId }, cancellationToken: ct));
    }

    /// <summary>The execution of the card's newest attempt, if it has any.</summary>
    public async Task<string?> LatestExecutionAsync(string cardId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(SelectLatestExecution, new { CardId = cardId }, cancellationToken: ct));
    }

    public static Task RecordTransitionAsync(
        WriteTransaction tx, string cardId, string from, string to, string trigger, string actor, string? reason, DateTimeOffset at, CancellationToken ct) =>
        tx.Connection.ExecuteAsync(new CommandDefinition(
            InsertTransition, new { CardId = cardId, From = from, To = to, Trigger = trigger, Actor = actor, Reason = reason, At = at }, tx.Transaction, cancellationToken: ct));

    public async Task<IReadOnlyList<TransitionEntry>> TransitionsAsync(string cardId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<TransitionEntry>(new CommandDefinition(SelectTransitions, new { CardId = cardId }, cancellationToken: ct))).AsList();
    }

    /// <summary>What the attempts of the cards <paramref name="cardIds"/> (one page of a listing) cost in all, by card.</summary>
    public async Task<IReadOnlyDictionary<string, double>> CostsOfAsync(IReadOnlyList<string> cardIds, CancellationToken ct)
    {
        if (cardIds.Count == 0)
            return new Dictionary<string, double>();
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<CardCost>(new CommandDefinition(SelectCostsOf, new { CardIds = SqlList.Of(cardIds) }, cancellationToken: ct));
        return rows.ToDictionary(r => r.CardId, r => r.CostUsd);
    }

    public async Task<IReadOnlyList<AttemptEntry>> AttemptsAsync(string cardId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<AttemptEntry>(new CommandDefinition(SelectAttempts, new { CardId = cardId }, cancellationToken: ct))).AsList();
    }
}
