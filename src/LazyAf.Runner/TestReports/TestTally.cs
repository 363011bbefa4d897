namespace LazyAf.Runner.TestReports;

/// <summary>Counts tests across all of a run's reports and keeps each case, up to a cap, for the host's test history.</summary>
internal sealed class TestTally
{
    /// <summary>The most cases one run keeps; beyond it cases are still counted.</summary>
    public const int MaxCases = 250_000;

    /// <summary>The longest failure message kept; longer ones are cut with a marker.</summary>
    public const int MaxMessageLength = 4000;
    private readonly List<TestFailure> _failures = [];
    private readonly List<TestCaseResult> _cases = [];
    private int _passed;
    private int _skipped;
    private int _leftOut;

    /// <summary>Cases counted so far.</summary>
    public int Counted => _passed + _skipped + _failures.Count;

    public void Passed(string suite, string name, long durationMs)
    {
        _passed++;
        Keep(new TestCaseResult(suite, name, TestCaseOutcome.Passed, durationMs, ""));
    }

    public void Skipped(string suite, string name)
    {
        _skipped++;
        Keep(new TestCaseResult(suite, name, TestCaseOutcome.Skipped, 0, ""));
    }

    public void Failed(string suite, string name, long durationMs, string? message, string report)
    {
        var trimmed = Cap(message);
        _failures.Add(new TestFailure(name, trimmed, report));
        Keep(new TestCaseResult(suite, name, TestCaseOutcome.Failed, durationMs, trimmed));
    }

    public TestSummary ToSummary() =>
        new(_passed + _failures.Count + _skipped, _passed, _failures.Count, _skipped, _failures.ToArray()) { Cases = _cases.ToArray(), CasesLeftOut = _leftOut };

    /// <summary>A message trimmed and cut to <see cref="MaxMessageLength"/>.</summary>
    public static string Cap(string? message)
    {
        var trimmed = (message ?? "").Trim();
        return trimmed.Length > MaxMessageLength ? trimmed[..MaxMessageLength] + "…" : trimmed;
    }

    private void Keep(TestCaseResult testCase)
    {
        if (_cases.Count < MaxCases)
            _cases.Add(testCase);
        else
            _leftOut++;
    }
}
