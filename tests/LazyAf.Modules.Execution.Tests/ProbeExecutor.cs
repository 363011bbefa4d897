using LazyAf.Modules.Execution.Contracts;
using System.Collections.Concurrent;
using LazyAf.Modules.Execution.Domain;
using LazyAf.Runner;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Execution.Tests;

/// <summary>
/// A second executor beside the local one, for tests of the executor seam (a narrow seam, as a remote runner will be):
/// it builds the runner's spec for what it is given exactly as the local executor does (<see cref="StepPreparation"/>)
/// and keeps it, then ends the execution <c>failed</c> ("probed") — or, holding, keeps it running until it is cancelled.
/// </summary>
internal sealed class ProbeExecutor(string name, string label, IServiceProvider services) : IExecutor
{
    public const string Probed = "probed";

    private readonly ConcurrentDictionary<string, StepExecution> _held = new();
    private int _refusals;

    public string Name => name;

    public IReadOnlySet<string> Labels { get; } = new HashSet<string>(StringComparer.Ordinal) { label };

    /// <summary>Hold what it takes, running, until it is cancelled.</summary>
    public bool Holds { get; init; }

    /// <summary>How many assignments to refuse before it takes one, as a runner that does not acknowledge.</summary>
    public int Refuse
    {
        get => _refusals;
        init => _refusals = value;
    }

    public int FreeSlots => 1 - _held.Count;

    /// <summary>The runner specs it was given, by execution.</summary>
    public ConcurrentDictionary<string, StepSpec> Specs { get; } = new();

    /// <summary>The request of each execution it took, for what stays with the host (a step's runner_retries).</summary>
    public ConcurrentDictionary<string, ExecutionRequested> Requests { get; } = new();

    /// <summary>Every assignment it was offered, taken or not, in order.</summary>
    public ConcurrentQueue<string> Offered { get; } = new();

    /// <summary>The executions it was asked to cancel.</summary>
    public ConcurrentQueue<string> Cancelled { get; } = new();

    public event Action? SlotFreed;

    public async Task<bool> AssignAsync(StepExecution assigned, CancellationToken ct)
    {
        Offered.Enqueue(assigned.Row.Id);
        if (Interlocked.Decrement(ref _refusals) >= 0)
            return false;
        Requests[assigned.Row.Id] = assigned.Request;
        Specs[assigned.Row.Id] = await services.GetRequiredService<StepPreparation>().PrepareAsync(assigned.Request, ct);
        var recorder = services.GetRequiredService<ExecutionRecorder>();
        if (!Holds)
        {
            await recorder.EndAsync(assigned.Row.Id, StepOutcome.Failed, Probed);
            return true;
        }
        if (await recorder.StartedAsync(assigned) is { } running)
            _held[running.Row.Id] = running;
        return true;
    }

    public bool Cancel(string executionId)
    {
        if (!_held.TryRemove(executionId, out var running))
            return false;
        Cancelled.Enqueue(executionId);
        _ = Task.Run(async () =>
        {
            await services.GetRequiredService<ExecutionRecorder>().FinishedAsync(running, new StepResult(StepOutcome.Cancelled, null, "cancelled", null, running.Row.Branch, null, false));
            SlotFreed?.Invoke();
        });
        return true;
    }

    public Task RecoverAsync(IReadOnlyList<StepExecution> held, CancellationToken ct) => Task.CompletedTask;

    /// <summary>The probe of this name among the host's executors.</summary>
    public static ProbeExecutor Of(LazyAf.Testing.LazyAfHost host, string name) =>
        host.Services.GetServices<IExecutor>().OfType<ProbeExecutor>().Single(p => p.Name == name);
}
