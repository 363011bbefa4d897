using LazyAf.Kernel;
using System.Text;
using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Domain;
using LazyAf.Runner;
using LazyAf.Runner.Agents;

namespace LazyAf.Modules.Execution.Data;

/// <summary>The <c>execution_logs</c> table: chunks are stored in batches, each with one <c>log.appended</c> event.</summary>
internal sealed class LogStore(IDatabase database, IEventOutbox outbox, LogFollowSignal followers)
{
    /// <summary>Live events carry at most this much text; readers fetch the rest from the API.</summary>
    public const int MaxEventText = 64 * 1024;

    public sealed record StoredChunk(long Seq, string Stream, DateTimeOffset At, byte[] Data);

    private const string Insert = """
        INSERT OR IGNORE INTO execution_logs (execution_id, seq, stream, at, data) VALUES (@ExecutionId, @Seq, @Stream, @At, @Data)
        """;

    private const string SelectAfter = """
        SELECT seq AS Seq, stream AS Stream, at AS At, data AS Data FROM execution_logs
        WHERE execution_id = @ExecutionId AND seq > @After ORDER BY seq LIMIT @Limit
        """;

    private const string SelectLast = """
        SELECT seq AS Seq, stream AS Stream, at AS At, data AS Data FROM execution_logs
        WHERE execution_id = @ExecutionId ORDER BY seq DESC LIMIT 1
        """;

    private const string SelectOutputBytes = """
        SELECT COALESCE(SUM(length(data)), 0) FROM execution_logs WHERE execution_id = @ExecutionId AND stream <> @System
        """;

    /// <summary>How many bytes of the step's own output (all but the runner's lines) are stored: what counts against the cap.</summary>
    public async Task<long> OutputBytesAsync(string executionId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            SelectOutputBytes, new { ExecutionId = executionId, System = EnumText.Of(LogStream.System) }, cancellationToken: ct));
    }

    /// <summary>The last stored chunk, or null when none is; a resumed run continues after its seq.</summary>
    public async Task<StoredChunk?> LastAsync(string executionId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<StoredChunk>(new CommandDefinition(SelectLast, new { ExecutionId = executionId }, cancellationToken: ct));
    }

    /// <summary>
    /// Stores a line of LazyAF's own on the system stream after the last stored chunk (<c>[LazyAF: …]</c>), so a log the
    /// step did not finish says why it stops there. Returns the line's seq.
    /// </summary>
    public async Task<long> AppendNoteAsync(ExecutionIdentity execution, string note, DateTimeOffset at, CancellationToken ct)
    {
        var seq = ((await LastAsync(execution.Id, ct))?.Seq ?? 0) + 1;
        var line = System.Text.Encoding.UTF8.GetBytes($"\n[LazyAF: {note}]\n");
        await AppendAsync(execution, [new LogChunk(execution.Id, seq, LogStream.System, at, line)], [], ct);
        return seq;
    }

    /// <summary>Stores a batch of chunks, and the agent events they completed, with their events.</summary>
    public async Task AppendAsync(ExecutionIdentity execution, IReadOnlyList<LogChunk> chunks, IReadOnlyList<AgentEvent> agentEvents, CancellationToken ct)
    {
        if (chunks.Count == 0)
            return;
        var executionId = execution.Id;
        await using var tx = await database.BeginWriteAsync(ct);
        foreach (var chunk in chunks)
        {
            await tx.Connection.ExecuteAsync(new CommandDefinition(Insert, new
            {
                ExecutionId = executionId,
                chunk.Seq,
                Stream = EnumText.Of(chunk.Stream),
                chunk.At,
                Data = chunk.Data.ToArray(),
            }, tx.Transaction, cancellationToken: ct));
        }
        await outbox.EnqueueAsync(tx, new LogAppended(executionId, chunks[0].Seq, chunks[^1].Seq, TextOf(chunks)), ct);
        await AgentEventStore.AppendAsync(tx, outbox, execution, agentEvents, chunks[^1].At, ct);
        await tx.CommitAsync(ct);
        followers.Notify(executionId);
    }

    public async Task<IReadOnlyList<StoredChunk>> ReadAsync(string executionId, long afterSeq, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<StoredChunk>(new CommandDefinition(
            SelectAfter, new { ExecutionId = executionId, After = afterSeq, Limit = limit }, cancellationToken: ct))).AsList();
    }

    private static string TextOf(IReadOnlyList<LogChunk> chunks)
    {
        var text = new StringBuilder();
        // Agent events travel as their own agent.event; the text is what a person reads.
        foreach (var chunk in chunks.Where(c => c.Stream != LogStream.Agent))
        {
            if (text.Length + chunk.Data.Length > MaxEventText)
                return text.Append($"\n[… output cut here; GET /api/executions/{chunk.ExecutionId}/logs?after_seq={chunk.Seq - 1} has all of it]\n").ToString();
            text.Append(Encoding.UTF8.GetString(chunk.Data.Span));
        }
        return text.ToString();
    }
}
