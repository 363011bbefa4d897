namespace LazyAf.Runner.TestReports;

/// <summary>Counts tests across all of a run's reports.</summary>
internal sealed class TestTally
{
    private const int MaxMessageLength = 4000;
    private readonly List<TestFailure> _failures = [];
    private int _passed;
    private int _skipped;

    public bool IsEmpty => _passed + _skipped + _failures.Count == 0;

    public void Passed() => _passed++;

    public void Skipped() => _skipped++;

    public void Failed(string name, string? message, string report)
    {
        var trimmed = (message ?? "").Trim();
        _failures.Add(new TestFailure(name, trimmed.Length > MaxMessageLength ? trimmed[..MaxMessageLength] + "…" : trimmed, report));
    }

    public TestSummary ToSummary() =>
        new(_passed + _failures.Count + _skipped, _passed, _failures.Count, _skipped, _failures.ToArray());
}
