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
