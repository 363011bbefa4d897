namespace LazyAf.Runner;

/// <summary>What a run has established so far, so a run that ends early still reports what it knows.</summary>
internal sealed class RunProgress(string branch)
{
    private int? _exitCode;
    private TestSummary? _tests;
    private CoverageSummary? _coverage;
    private string? _sha;
    private bool _changed;

    public StepOutcome Outcome { get; private set; } = StepOutcome.Failed;

    public string? Error { get; private set; } = "the run did not finish";

    /// <summary>The step exited: its exit code and its tests decide the outcome (a push may still fail it).</summary>
    public void Ran(int exitCode, TestSummary? tests)
    {
        _exitCode = exitCode;
        _tests = tests;
        if (exitCode != 0)
            End(StepOutcome.Failed, $"exit code {exitCode}");
        else if (tests is { Failed: > 0 })
            End(StepOutcome.Failed, $"{tests.Failed} of {tests.Total} tests failed");
        else
            End(StepOutcome.Succeeded, null);
    }

    /// <summary>The coverage the step's files report.</summary>
    public void Covered(CoverageSummary? coverage) => _coverage = coverage;

    public void Pushed(string sha, bool changed)
    {
        _sha = sha;
        _changed = changed;
    }

    public void End(StepOutcome outcome, string? error)
    {
        Outcome = outcome;
        Error = error;
    }

    /// <summary>Fails the run; after a failed step (a push that failed too) both reasons are kept.</summary>
    public void Fail(string error) =>
        End(StepOutcome.Failed, _exitCode is not null && Outcome == StepOutcome.Failed ? $"{Error}; {error}" : error);

    public StepResult ToResult(string logTail) =>
        new(Outcome, _exitCode, Error, _tests, branch, _sha, _changed) { LogTail = logTail, Coverage = _coverage };
}
