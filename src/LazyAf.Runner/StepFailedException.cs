namespace LazyAf.Runner;

/// <summary>
/// Thrown when a run cannot go on (checkout, set-up, a step kind that cannot start its step); the run
/// ends <see cref="StepOutcome.Failed"/> with the message as its one-line <see cref="StepResult.Error"/>.
/// </summary>
public sealed class StepFailedException : Exception
{
    /// <summary>A failure without a reason (prefer one with a message).</summary>
    public StepFailedException()
    {
    }

    /// <summary>A failure with the one-line reason the user will read.</summary>
    public StepFailedException(string message)
        : base(message)
    {
    }

    /// <summary>A failure with its reason and cause.</summary>
    public StepFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
