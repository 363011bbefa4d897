using System.Text.Json;
using LazyAf.Kernel;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Execution.Domain;
using LazyAf.Runner.Agents;

namespace LazyAf.Modules.Execution.Handlers;

/// <summary>
/// Turns each <see cref="ExecutionRequested"/> into a pending execution, once per idempotency key: in the requester's
/// transaction (routed once it commits), and again (finding it there) when the durable event is delivered.
/// </summary>
internal sealed class ExecutionRequests(
    ExecutionStore executions, AgentEventStore agentEvents, LogStore logs, ExecutionRouter router, ExecutionCancellation cancellation, ExecutionLogTail logTail,
    IEventOutbox outbox, TimeProvider clock)
    : IIntegrationEventHandler<ExecutionRequested>, IStepExecutions
{
    public async Task HandleAsync(ExecutionRequested @event, EventContext context, CancellationToken ct)
    {
        await SubmitAsync(@event, ct);
    }

    public async Task RequestAsync(WriteTransaction tx, ExecutionRequested request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        await outbox.EnqueueAsync(tx, request, ct);
        // Stored with the requester's writes, so whatever they name (a run's step, a card's attempt) can be read at once.
        var (execution, created) = await executions.CreateAsync(tx, Pending(request), ct);
        if (created)
            tx.AfterCommit(() => router.SubmittedAsync(execution));
    }

    public async Task<CancelOutcome> CancelAsync(string executionId, CancellationToken ct) =>
        Ids.IsValid(executionId) ? (await cancellation.CancelAsync(executionId, ct)).Outcome : CancelOutcome.NotFound;

    public Task<string> LogTailAsync(string executionId, int maxChars, CancellationToken ct) => logTail.ReadAsync(executionId, maxChars, ct);

    public async Task<bool> NoteAsync(string executionId, string note, CancellationToken ct)
    {
        if (!Ids.IsValid(executionId) || await executions.FindAsync(executionId, ct) is not { } execution)
            return false;
        await logs.AppendNoteAsync(execution.Identity, note, clock.GetUtcNow(), ct);
        return true;
    }

    public async Task<ExecutionSnapshot?> FindAsync(string executionId, CancellationToken ct) =>
        Ids.IsValid(executionId) && await executions.FindAsync(executionId, ct) is { } execution
            ? execution.Snapshot() with { Usage = await agentEvents.UsageAsync(executionId, ct) }
            : null;

    public async Task<IReadOnlyList<ExecutionSnapshot>> FindAsync(IReadOnlyCollection<string> executionIds, CancellationToken ct)
    {
        var found = await executions.FindAsync(executionIds, ct);
        var usage = await agentEvents.UsageAsync(executionIds, ct);
        return [.. found.Select(e => e.Snapshot() with { Usage = usage.GetValueOrDefault(e.Row.Id) })];
    }

    public async Task<IReadOnlyList<RecordedAgentEvent>> AgentEventsAsync(string executionId, long afterSeq, int limit, CancellationToken ct) =>
        [.. (await agentEvents.ReadAsync(executionId, afterSeq, limit, ct))
            .Select(e => new RecordedAgentEvent(e.Seq, e.At, JsonSerializer.Deserialize<AgentEvent>(e.Data, LazyAfJson.Options)!))];

    /// <summary>Creates the execution unless its idempotency key exists; returns the one that is stored.</summary>
    public async Task<(StepExecution Execution, bool Created)> SubmitAsync(ExecutionRequested request, CancellationToken ct)
    {
        var created = await executions.CreateAsync(Pending(request), ct);
        if (created.Created)
            await router.SubmittedAsync(created.Execution);
        return created;
    }

    private ExecutionRow Pending(ExecutionRequested request)
    {
        var now = clock.GetUtcNow();
        return new ExecutionRow
        {
            Id = request.ExecutionId,
            IdempotencyKey = request.IdempotencyKey,
            Kind = request.Kind,
            SubjectId = request.SubjectId,
            RepoId = request.RepoId,
            Branch = request.WorkBranch,
            Attempt = request.Attempt,
            Request = JsonSerializer.Serialize(request, LazyAfJson.Options),
            State = EnumText.Of(ExecutionState.Pending),
            CreatedAt = now,
            UpdatedAt = now,
        };
    }
}
