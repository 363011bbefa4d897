namespace LazyAf.Cli.Api;

/// <summary>A step execution as <c>/api/executions/{id}</c> shows it; only the fields the CLI uses.</summary>
/// <param name="Id">The execution's id.</param>
/// <param name="State">pending, assigned, running, or how it ended: succeeded, failed, cancelled, timed_out.</param>
/// <param name="ExitCode">The step's exit code, once it exited.</param>
/// <param name="Error">Why it failed, in one line (<c>exit code 3</c>).</param>
internal sealed record Execution(string Id, string State, int? ExitCode, string? Error)
{
    public bool IsFinished => State is "succeeded" or "failed" or "cancelled" or "timed_out";

    /// <summary>How it ended, for the user: <c>failed: exit code 3</c>.</summary>
    public string Outcome => Error is not null ? $"{State}: {Error}"
        : ExitCode is { } code ? $"{State}: exit code {code}"
        : State;
}

/// <summary>One chunk of an execution's output, a line of <c>/api/executions/{id}/logs</c>.</summary>
/// <param name="Seq">Its place in the execution's output, from 1 across all streams.</param>
/// <param name="Stream">stdout, stderr, or system (the runner's own account).</param>
/// <param name="At">When it was printed.</param>
/// <param name="Text">The output as it was printed, newlines included.</param>
internal sealed record LogLine(long Seq, string Stream, DateTimeOffset At, string Text);
