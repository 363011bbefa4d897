namespace LazyAf.Runner.TestReports;

/// <summary>Counts tests across all of a run's reports.</summary>
internal sealed class TestTally
{
    private const int MaxMessageLength = 4000;
    private const int MaxOutputLength = 8000;
    private readonly List<TestFailure> _failures = [];
    private int _passed;
    private int _skipped;

    public bool IsEmpty => _passed + _skipped + _failures.Count == 0;

    public void Passed() => _passed++;

    public void Skipped() => _skipped++;

    /// <summary>A failed test; <paramref name="output"/> parts (details, stdout, stderr) are joined and the end kept, where a failure's cause usually is.</summary>
    public void Failed(string name, string? message, string report, params string?[] output)
    {
        var trimmed = (message ?? "").Trim();
        var printed = string.Join("\n", output.Select(o => o?.Trim()).Where(o => o is { Length: > 0 } && o != trimmed));
        _failures.Add(new TestFailure(name, trimmed.Length > MaxMessageLength ? trimmed[..MaxMessageLength] + "…" : trimmed, report)
        {
            Output = printed.Length > MaxOutputLength ? "…" + printed[^MaxOutputLength..] : printed,
        });
    }

    public TestSummary ToSummary() =>
        new(_passed + _failures.Count + _skipped, _passed, _failures.Count, _skipped, _failures.ToArray());
}
