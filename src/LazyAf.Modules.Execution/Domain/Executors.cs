using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Features.Runners;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>The executors of this host — the registered ones and each remote runner that connected — and which of them takes a step.</summary>
internal sealed class Executors
{
    private readonly IReadOnlyList<IExecutor> _registered;
    private readonly RunnerHub _runners;

    public Executors(IEnumerable<IExecutor> executors, RunnerHub runners)
    {
        _registered = [.. executors];
        _runners = runners;
        foreach (var executor in _registered)
            executor.SlotFreed += () => SlotFreed?.Invoke();
        runners.SlotFreed += () => SlotFreed?.Invoke();
    }

    public IReadOnlyList<IExecutor> All => [.. _registered, .. _runners.Sessions];

    /// <summary>Raised when any executor frees a slot or a runner connects.</summary>
    public event Action? SlotFreed;

    /// <summary>The executor an execution's runner column names; null when this host has none of that name.</summary>
    public IExecutor? Find(string? name) => _registered.FirstOrDefault(e => e.Name == name) ?? _runners.Find(name);

    /// <summary>Whether any executor could take a step now.</summary>
    public bool AnyFree => All.Any(e => e.FreeSlots > 0);

    /// <summary>
    /// Where a debug environment of <paramref name="request"/>'s step goes: of the executors with every label the step
    /// requires (a runner: connected and running its kind), <paramref name="holder"/> when it is among them, else the
    /// first. Free slots do not count: a paused step's shell takes none.
    /// </summary>
    public IExecutor? For(ExecutionRequested request, string? holder)
    {
        var requires = request.Step.Requires;
        return All.Where(e => requires.All(e.Labels.Contains) && (e is not RunnerSession runner || runner.Connected && runner.RunsKind(request.Step.Type)))
            .OrderByDescending(e => e.Name == holder)
            .FirstOrDefault();
    }

    /// <summary>
    /// The executor to run <paramref name="execution"/>: of those with a free slot, every label its step requires,
    /// and willing to run it, <paramref name="preferred"/> (the one that holds the step's workspace: it ran the pipeline
    /// run's earlier step) when it is among them, else the one with the most free slots (the first registered on a
    /// tie); null when none can take it now.
    /// </summary>
    public IExecutor? Choose(StepExecution execution, string? preferred = null)
    {
        var requires = execution.Request.Step.Requires;
        return All.Where(e => e.FreeSlots > 0 && requires.All(e.Labels.Contains) && e.Runs(execution))
            .OrderByDescending(e => e.Name == preferred)
            .ThenByDescending(e => e.FreeSlots)
            .FirstOrDefault();
    }
}
