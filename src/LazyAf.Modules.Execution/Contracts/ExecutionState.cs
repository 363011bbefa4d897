namespace LazyAf.Modules.Execution.Contracts;

/// <summary>Where a step execution is; the step-execution state machine moves it.</summary>
public enum ExecutionState
{
    /// <summary>Waiting for an executor.</summary>
    Pending,

    /// <summary>Given to an executor that has not started it yet.</summary>
    Assigned,

    /// <summary>Its step is running.</summary>
    Running,

    /// <summary>The step exited 0 and its tests passed. Final.</summary>
    Succeeded,

    /// <summary>The step failed, its tests failed, or its executor died. Final.</summary>
    Failed,

    /// <summary>Cancelled on request. Final.</summary>
    Cancelled,

    /// <summary>Killed at its timeout. Final.</summary>
    TimedOut,
}

/// <summary>What the execution states mean.</summary>
public static class ExecutionStates
{
    /// <summary>The states an execution can still leave: waiting, given to an executor, or running.</summary>
    public static IReadOnlyList<ExecutionState> Active { get; } = [ExecutionState.Pending, ExecutionState.Assigned, ExecutionState.Running];

    /// <summary>True when the execution has ended (succeeded, failed, cancelled or timed out) and will not change again.</summary>
    public static bool IsFinal(this ExecutionState state) => !Active.Contains(state);
}
