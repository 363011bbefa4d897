namespace LazyAf.Modules.Access.Contracts;

/// <summary>
/// Short-lived credentials for one step execution: each reaches only its repo's git server and may push only
/// its own work branch. They live in this host's memory, so none outlives the host that issued it.
/// </summary>
public interface IStepTokens
{
    /// <summary>A token for <paramref name="executionId"/> until <paramref name="lifetime"/> has passed or it is disposed.</summary>
    StepToken Issue(string executionId, string repoId, string workBranch, TimeSpan lifetime);

    /// <summary>
    /// Honours again a token this host issued before it restarted (and so forgot), for the same execution: a remote
    /// runner that re-attaches a step presents it, so the step can still push. Null when it is not a step token.
    /// </summary>
    StepToken? Reinstate(string token, string executionId, string repoId, string workBranch, TimeSpan lifetime);
}

/// <summary>A step's credential; disposing it revokes it at once.</summary>
/// <param name="value">The token, for the runner's git (never the step's environment).</param>
/// <param name="expiresAt">When it stops working by itself.</param>
/// <param name="revoke">Ends it.</param>
public sealed class StepToken(string value, DateTimeOffset expiresAt, Action revoke) : IDisposable
{
    /// <summary>The token.</summary>
    public string Value { get; } = value;

    /// <summary>When it stops working by itself.</summary>
    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    /// <summary>Revokes the token.</summary>
    public void Dispose() => revoke();
}
