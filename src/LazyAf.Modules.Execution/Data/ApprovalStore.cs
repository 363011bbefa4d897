using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Execution.Contracts;

namespace LazyAf.Modules.Execution.Data;

/// <summary><c>execution_approvals</c>: tool-permission requests and their answers.</summary>
internal sealed class ApprovalStore(IDatabase database, IEventOutbox outbox)
{
    public sealed record ApprovalRow(string ExecutionId, string RequestId, string ToolName, string Summary, string State, string? Message, string? DecidedBy, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt);

    private const string Columns = """
        execution_id AS ExecutionId, request_id AS RequestId, tool_name AS ToolName, summary AS Summary, state AS State, message AS Message,
        decided_by AS DecidedBy, requested_at AS RequestedAt, decided_at AS DecidedAt
        """;

    private const string Insert = """
        INSERT OR IGNORE INTO execution_approvals (execution_id, request_id, tool_name, summary, state, requested_at)
        VALUES (@ExecutionId, @RequestId, @ToolName, @Summary, 'pending', @RequestedAt)
        """;

    // Only a pending request is decided: the first answer (a person's, or the timeout's) wins.
    private const string Decide = """
        UPDATE execution_approvals SET state = @State, message = @Message, decided_by = @DecidedBy, decided_at = @DecidedAt
        WHERE execution_id = @ExecutionId AND request_id = @RequestId AND state = 'pending'
        """;

    private const string SelectOne = $"SELECT {Columns} FROM execution_approvals WHERE execution_id = @ExecutionId AND request_id = @RequestId";
    private const string SelectAll = $"SELECT {Columns} FROM execution_approvals WHERE execution_id = @ExecutionId ORDER BY requested_at, request_id";

    /// <summary>A request with what its execution is for: <c>Kind</c> and <c>SubjectId</c> of the execution (a card, a pipeline run, …).</summary>
    public sealed record QueuedApproval(
        string ExecutionId, string Kind, string? SubjectId, string RepoId, string RequestId, string ToolName, string Summary, string State,
        string? Message, string? DecidedBy, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt);

    // Oldest first by rowid (the order requests came in): the one waiting longest is answered first.
    private const string SelectInState = """
        SELECT a.rowid AS Seq, a.execution_id AS ExecutionId, e.kind AS Kind, e.subject_id AS SubjectId, e.repo_id AS RepoId, a.request_id AS RequestId,
               a.tool_name AS ToolName, a.summary AS Summary, a.state AS State, a.message AS Message, a.decided_by AS DecidedBy,
               a.requested_at AS RequestedAt, a.decided_at AS DecidedAt
        FROM execution_approvals a JOIN execution_executions e ON e.id = a.execution_id
        WHERE a.state = @State AND a.rowid > @After
        ORDER BY a.rowid LIMIT @Take
        """;

    public async Task AddAsync(ApprovalRequested request, DateTimeOffset at, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        await tx.Connection.ExecuteAsync(new CommandDefinition(Insert, new
        {
            request.ExecutionId, request.RequestId, request.ToolName, request.Summary, RequestedAt = at,
        }, tx.Transaction, cancellationToken: ct));
        await outbox.EnqueueAsync(tx, request, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Records the answer; false when the request was no longer pending.</summary>
    public async Task<bool> DecideAsync(string executionId, string requestId, string state, string? message, string decidedBy, DateTimeOffset at, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        var decided = await tx.Connection.ExecuteAsync(new CommandDefinition(Decide, new
        {
            ExecutionId = executionId, RequestId = requestId, State = state, Message = message, DecidedBy = decidedBy, DecidedAt = at,
        }, tx.Transaction, cancellationToken: ct)) == 1;
        await tx.CommitAsync(ct);
        return decided;
    }

    public async Task<ApprovalRow?> FindAsync(string executionId, string requestId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ApprovalRow>(new CommandDefinition(SelectOne, new { ExecutionId = executionId, RequestId = requestId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<ApprovalRow>> ListAsync(string executionId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<ApprovalRow>(new CommandDefinition(SelectAll, new { ExecutionId = executionId }, cancellationToken: ct))).AsList();
    }

    /// <summary>One page of the requests in <paramref name="state"/> across all executions, oldest first, each with its key for the next page.</summary>
    public async Task<IReadOnlyList<(long Seq, QueuedApproval Approval)>> InStateAsync(string state, PageRequest page, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<long, QueuedApproval, (long, QueuedApproval)>(
            new CommandDefinition(SelectInState, new { State = state, page.After, page.Take }, cancellationToken: ct),
            (seq, row) => (seq, row),
            splitOn: "ExecutionId")).AsList();
    }
}
