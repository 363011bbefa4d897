using LazyAf.Modules.Execution.Handlers;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>
/// Something that runs step executions: the in-process <see cref="LocalExecutor"/>, and each remote runner (<c>Features/Runners</c>).
/// The <see cref="ExecutionRouter"/> gives it pending executions whose <c>requires</c> are among its
/// <see cref="Labels"/> while it has <see cref="FreeSlots"/>, and records its <see cref="Name"/> as the execution's
/// runner; cancel and recovery go to the executor that name says. The executor holds the execution from then on: it
/// runs the step within the step's timeout (the spec carries it) and records how it ended.
/// </summary>
internal interface IExecutor
{
    /// <summary>Its name, stored as the runner of the executions it holds (<c>local</c>).</summary>
    string Name { get; }

    /// <summary>What it offers (<c>os=linux</c>, <c>arch=x64</c>, …); it runs a step only when it has every label the step requires.</summary>
    IReadOnlySet<string> Labels { get; }

    /// <summary>How many more executions it takes now.</summary>
    int FreeSlots { get; }

    /// <summary>Whether it runs this execution at all, beyond its labels (a remote runner runs only the step kinds it named).</summary>
    bool Runs(StepExecution execution) => true;

    /// <summary>Raised when a slot comes free, so the router hands it out at once rather than at its next poll.</summary>
    event Action? SlotFreed;

    /// <summary>
    /// Hands it an execution the router assigned to it, to run. False when it does not take it after all (it filled up;
    /// a runner did not acknowledge): the router then puts the execution back to pending, for this or another executor.
    /// </summary>
    Task<bool> AssignAsync(StepExecution assigned, CancellationToken ct);

    /// <summary>Asks an execution it runs to stop; it records <c>cancelled</c> once the step is down. False when it does not run it.</summary>
    bool Cancel(string executionId);

    /// <summary>
    /// At start-up, before anything is routed: the executions it held (assigned or running) when the host stopped. It
    /// follows again those whose step outlived the host and ends the others failed.
    /// </summary>
    Task RecoverAsync(IReadOnlyList<StepExecution> held, CancellationToken ct);
}
