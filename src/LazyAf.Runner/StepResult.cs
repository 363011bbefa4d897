namespace LazyAf.Runner;

/// <summary>How a run ended.</summary>
public enum StepOutcome
{
    /// <summary>The step exited 0 and its tests (if any) passed.</summary>
    Succeeded,

    /// <summary>The step exited non-zero, failed to start, or its tests failed.</summary>
    Failed,

    /// <summary>Cancelled on request; the process tree or container was killed.</summary>
    Cancelled,

    /// <summary>Killed when it ran past its timeout.</summary>
    TimedOut,
}

/// <summary>The result of one run.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="ExitCode">The step's exit code, when it exited.</param>
/// <param name="Error">Why it failed, in one line, when it did.</param>
/// <param name="Tests">Test results found in the workspace, if any.</param>
/// <param name="Branch">The work branch.</param>
/// <param name="CommitSha">The pushed head of the work branch (also when the step changed nothing).</param>
/// <param name="Changed">True when the step changed files and a commit was made.</param>
public sealed record StepResult(StepOutcome Outcome, int? ExitCode, string? Error, TestSummary? Tests, string Branch, string? CommitSha, bool Changed)
{
    /// <summary>The end of the run's log (masked), for the next step's context; empty when nothing was logged.</summary>
    public string LogTail { get; init; } = "";
}

/// <summary>Test counts and failures found in the workspace's reports.</summary>
/// <param name="Total">Tests run.</param>
/// <param name="Passed">Tests passed.</param>
/// <param name="Failed">Tests failed or errored.</param>
/// <param name="Skipped">Tests skipped.</param>
/// <param name="Failures">The failed tests, with their messages.</param>
public sealed record TestSummary(int Total, int Passed, int Failed, int Skipped, IReadOnlyList<TestFailure> Failures);

/// <summary>One failed test.</summary>
/// <param name="Name">The test's full name.</param>
/// <param name="Message">Its failure message (trimmed).</param>
/// <param name="Report">The report file it came from, relative to the workspace.</param>
public sealed record TestFailure(string Name, string Message, string Report)
{
    /// <summary>
    /// What the test printed and the failure's details (a stack trace beside a message), the end kept when long: CTest,
    /// for one, puts a failing test's whole output here and nothing in its message.
    /// </summary>
    public string Output { get; init; } = "";
}
