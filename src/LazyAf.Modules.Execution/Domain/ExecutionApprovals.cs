using System.Collections.Concurrent;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Data;
using LazyAf.Runner.Agents;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>
/// The host's approval desk for agent steps run in-process: a request is stored as pending (with its
/// <c>approval.requested</c> event) and the agent waits until a person answers through the API, or until
/// <c>Agents:ApprovalTimeoutSeconds</c> (default 600) passes — then it is denied.
/// </summary>
internal sealed class ExecutionApprovals(ApprovalStore store, ExecutionStore executions, TimeProvider clock, IOptions<AgentsOptions> options) : IAgentApprovals
{
    private readonly ConcurrentDictionary<(string, string), TaskCompletionSource<ApprovalDecision>> _waiting = new();
    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(options.Value.ApprovalTimeoutSeconds);

    public async Task<ApprovalDecision> DecideAsync(string executionId, AgentEvent request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var requestId = request.RequestId ?? throw new ArgumentException("not a permission request", nameof(request));
        var execution = await executions.FindAsync(executionId, ct) ?? throw new InvalidOperationException($"execution {executionId} is gone");
        var waiter = _waiting.GetOrAdd((executionId, requestId), _ => new TaskCompletionSource<ApprovalDecision>(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            var now = clock.GetUtcNow();
            await store.AddAsync(new ApprovalRequested(executionId, execution.Row.Kind, execution.Row.SubjectId, execution.Row.RepoId,
                requestId, request.ToolName ?? "tool", request.Summary ?? "", now + _timeout), now, ct);
            try
            {
                return await waiter.Task.WaitAsync(_timeout, clock, ct);
            }
            catch (TimeoutException)
            {
                var message = $"no answer within {_timeout.TotalSeconds:0} s; denied";
                if (await store.DecideAsync(executionId, requestId, "timed_out", message, "timeout", clock.GetUtcNow(), CancellationToken.None))
                    return new ApprovalDecision(false, message);
                // A person answered just as the time ran out: their answer stands.
                return await waiter.Task;
            }
        }
        finally
        {
            _waiting.TryRemove((executionId, requestId), out _);
        }
    }

    /// <summary>Records a person's answer and hands it to the waiting agent; false when the request is not pending.</summary>
    public async Task<bool> AnswerAsync(string executionId, string requestId, ApprovalDecision decision, string actor, CancellationToken ct)
    {
        if (!await store.DecideAsync(executionId, requestId, decision.Allow ? "allowed" : "denied", decision.Message, actor, clock.GetUtcNow(), ct))
            return false;
        if (_waiting.TryGetValue((executionId, requestId), out var waiter))
            waiter.TrySetResult(decision);
        return true;
    }
}
