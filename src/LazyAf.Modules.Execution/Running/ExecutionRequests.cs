using LazyAf.Kernel;
using System.Text.Json;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Execution.Domain;

namespace LazyAf.Modules.Execution.Running;

/// <summary>Turns each <see cref="ExecutionRequested"/> into a pending execution, once per idempotency key.</summary>
internal sealed class ExecutionRequests(ExecutionStore executions, ExecutionRouter router, ExecutionCancellation cancellation, ExecutionLogTail logTail, TimeProvider clock)
    : IIntegrationEventHandler<ExecutionRequested>, IStepExecutions
{
    public async Task HandleAsync(ExecutionRequested @event, EventContext context, CancellationToken ct)
    {
        await SubmitAsync(@event, ct);
    }

    async Task IStepExecutions.SubmitAsync(ExecutionRequested request, CancellationToken ct) => await SubmitAsync(request, ct);

    async Task<bool> IStepExecutions.CancelAsync(string executionId, CancellationToken ct) =>
        (await cancellation.CancelAsync(executionId, ct)).Outcome is ExecutionCancellation.Outcome.Killing or ExecutionCancellation.Outcome.Cancelled;

    Task<string> IStepExecutions.LogTailAsync(string executionId, int maxChars, CancellationToken ct) => logTail.ReadAsync(executionId, maxChars, ct);

    public async Task<(StepExecution Execution, bool Created)> SubmitAsync(ExecutionRequested request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var created = await executions.CreateAsync(new ExecutionRow
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
        }, ct);
        if (created.Created)
            router.Wake();
        return created;
    }
}
