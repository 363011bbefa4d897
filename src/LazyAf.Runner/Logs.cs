namespace LazyAf.Runner;

/// <summary>Which output a log chunk carries.</summary>
public enum LogStream
{
    /// <summary>The step's standard output.</summary>
    Stdout,

    /// <summary>The step's standard error.</summary>
    Stderr,

    /// <summary>The runner's own account: checkout, set-up, commit, push.</summary>
    System,

    /// <summary>Typed events of an agent step (<see cref="Agents.AgentEvent"/>), one JSON line each.</summary>
    Agent,
}

/// <summary>
/// A piece of a run's output. Sequence numbers start at 1 and have no gaps, so a reader that has
/// seen seq N resumes at N + 1 without loss or duplicates. Secret values are already masked.
/// </summary>
public sealed record LogChunk(string ExecutionId, long Seq, LogStream Stream, DateTimeOffset At, ReadOnlyMemory<byte> Data);

/// <summary>Where a run's log chunks go (the host's log store, or a runner agent's gRPC stream).</summary>
public interface ILogSink
{
    /// <summary>Takes one chunk; may apply back-pressure by completing later.</summary>
    ValueTask WriteAsync(LogChunk chunk, CancellationToken ct);
}

/// <summary>Runs one type of step (script, docker, agent) in a prepared workspace.</summary>
public interface IStepKind
{
    /// <summary>The <see cref="StepDefinition.Type"/> this kind runs.</summary>
    string Type { get; }

    /// <summary>
    /// Runs the step in <paramref name="workspace"/> and returns its exit code. Output goes to
    /// <paramref name="output"/>. Cancellation (for cancel or timeout) must kill everything the step started.
    /// </summary>
    Task<int> RunAsync(StepSpec spec, string workspace, IStepOutput output, CancellationToken ct);

    /// <summary>
    /// The credentials this kind hands the step beyond the spec's secrets (an agent CLI's API key), so the runner
    /// masks them like the secrets.
    /// </summary>
    IEnumerable<string> Credentials(StepSpec spec) => [];
}

/// <summary>What a step kind writes its output to; the runner sequences, masks and ships it.</summary>
public interface IStepOutput
{
    /// <summary>Writes bytes the step produced on <paramref name="stream"/>.</summary>
    ValueTask WriteAsync(LogStream stream, ReadOnlyMemory<byte> data, CancellationToken ct);

    /// <summary>The step's secrets, for text a kind builds from the step's output before writing it (agent events, errors).</summary>
    Logs.SecretRedactor Redactor => Logs.SecretRedactor.None;
}

/// <summary>
/// A step kind whose step outlives the process that started it (a container), so a restarted host can follow it
/// to its end.
/// </summary>
public interface IReattachableStepKind : IStepKind
{
    /// <summary>
    /// Follows the step of execution <paramref name="executionId"/>: ships its output since <paramref name="since"/>
    /// (all of it when null) to <paramref name="output"/>, waits for its exit and returns the exit code.
    /// Cancellation must kill it.
    /// </summary>
    Task<int> FollowAsync(string executionId, DateTimeOffset? since, IStepOutput output, CancellationToken ct);

    /// <summary>Kills and removes whatever is left of the step of execution <paramref name="executionId"/>; best effort, nothing left is fine.</summary>
    Task DiscardAsync(string executionId, CancellationToken ct);

    /// <summary>
    /// Whether the step of execution <paramref name="executionId"/> is there to follow: started and running, or exited
    /// and not yet removed (its exit code is still to be had).
    /// </summary>
    Task<bool> OutlivedAsync(string executionId, CancellationToken ct);
}
