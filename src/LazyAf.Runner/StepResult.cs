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

    /// <summary>The coverage the step's Cobertura or lcov files report, if it wrote any.</summary>
    public CoverageSummary? Coverage { get; init; }
}

/// <summary>Line and branch coverage summed over a step's coverage files.</summary>
/// <param name="LinesCovered">Lines run at least once.</param>
/// <param name="LinesValid">Lines that could run.</param>
/// <param name="BranchesCovered">Branches taken.</param>
/// <param name="BranchesValid">Branches there are.</param>
public sealed record CoverageSummary(long LinesCovered, long LinesValid, long BranchesCovered, long BranchesValid)
{
    /// <summary>Covered lines of all (0..1); null when there are none.</summary>
    public double? LineRate => LinesValid == 0 ? null : (double)LinesCovered / LinesValid;

    /// <summary>Covered branches of all (0..1); null when there are none.</summary>
    public double? BranchRate => BranchesValid == 0 ? null : (double)BranchesCovered / BranchesValid;
}

/// <summary>Test counts and failures found in the workspace's reports.</summary>
/// <param name="Total">Tests run.</param>
/// <param name="Passed">Tests passed.</param>
/// <param name="Failed">Tests failed or errored.</param>
/// <param name="Skipped">Tests skipped.</param>
/// <param name="Failures">The failed tests, with their messages.</param>
public sealed record TestSummary(int Total, int Passed, int Failed, int Skipped, IReadOnlyList<TestFailure> Failures)
{
    /// <summary>Every test case the reports hold, up to the runner's cap (empty when only a printed summary was found).</summary>
    public IReadOnlyList<TestCaseResult> Cases { get; init; } = [];

    /// <summary>How many cases were counted but left out of <see cref="Cases"/> because the cap was reached.</summary>
    public int CasesLeftOut { get; init; }
}

/// <summary>How one test case ended.</summary>
public enum TestCaseOutcome
{
    /// <summary>It passed.</summary>
    Passed,

    /// <summary>It failed or errored.</summary>
    Failed,

    /// <summary>It was skipped or not run.</summary>
    Skipped,
}

/// <summary>One test case of a step's reports.</summary>
/// <param name="Suite">The suite it belongs to (JUnit's <c>testsuite</c> name; empty when the report has none).</param>
/// <param name="Name">Its full name, as <see cref="TestFailure.Name"/> gives it.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="DurationMs">How long it took, in milliseconds (0 when the report does not say).</param>
/// <param name="Message">Its failure message, trimmed and capped; empty unless it failed.</param>
public sealed record TestCaseResult(string Suite, string Name, TestCaseOutcome Outcome, long DurationMs, string Message);

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

    /// <summary>What the repo's test history says of it, when the host knows (for a fix step's <c>{{test_failures}}</c>).</summary>
    public TestFailureHistory History { get; init; }
}

/// <summary>What the repo's test history says of a failed test.</summary>
public enum TestFailureHistory
{
    /// <summary>No history was consulted.</summary>
    Unknown,

    /// <summary>It did not fail on the base branch: this branch broke it.</summary>
    New,

    /// <summary>It was already failing on the base branch.</summary>
    FailingOnBase,

    /// <summary>It is known to be flaky (passed and failed on one commit, or flips).</summary>
    Flaky,
}
