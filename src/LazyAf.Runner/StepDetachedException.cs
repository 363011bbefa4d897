namespace LazyAf.Runner;

/// <summary>
/// Thrown when a step was left running for a later process to re-attach to, instead of being stopped: the host stops
/// gracefully while a container runs, and its next start follows the container to its end as after a crash. The
/// run has no result; its execution stays running.
/// </summary>
public sealed class StepDetachedException : OperationCanceledException
{
    /// <summary>A detach without a reason (prefer one with a message).</summary>
    public StepDetachedException()
    {
    }

    /// <summary>A detach with the line the step's log ends with for now.</summary>
    public StepDetachedException(string message)
        : base(message)
    {
    }

    /// <summary>A detach with its line and cause.</summary>
    public StepDetachedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
