namespace LazyAf.Runner.TestReports;

/// <summary>Counts tests across all of a run's reports and keeps each case, up to a cap, for the host's test history.</summary>
internal sealed class TestTally
{
    /// <summary>The most cases one run keeps; beyond it cases are still counted.</summary>
    public const int MaxCases = 250_000;

    /// <summary>The longest failure message kept; longer ones are cut with a marker.</summary>
    public const int MaxMessageLength = 4000;

    /// <summary>The most of a failure's output kept (its end).</summary>
    public const int MaxOutputLength = 8000;
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

    /// <summary>A failed test; <paramref name="output"/> parts (details, stdout, stderr) are joined and the end kept, where a failure's cause usually is.</summary>
    public void Failed(string suite, string name, long durationMs, string? message, string report, params string?[] output)
    {
        var trimmed = Cap(message);
        var raw = (message ?? "").Trim();
        var printed = string.Join("\n", output.Select(o => o?.Trim()).Where(o => o is { Length: > 0 } && o != raw));
        _failures.Add(new TestFailure(name, trimmed, report) { Output = printed.Length > MaxOutputLength ? "…" + printed[^MaxOutputLength..] : printed });
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
