using LazyAf.Runner;

namespace LazyAf.Modules.Reports.Domain;

/// <summary>How test outcomes are stored and shown (<c>passed</c>, <c>failed</c>, <c>skipped</c>).</summary>
internal static class TestOutcomes
{
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string Skipped = "skipped";

    public static string Of(TestCaseOutcome outcome) => outcome switch
    {
        TestCaseOutcome.Passed => Passed,
        TestCaseOutcome.Failed => Failed,
        _ => Skipped,
    };

    /// <summary>
    /// The cases of one run with one row per test name: a test reported twice (a retried or parameterised case) failed
    /// when any report of it failed, and took the time of all of them.
    /// </summary>
    public static IReadOnlyList<TestCaseResult> OnePerName(IReadOnlyList<TestCaseResult> cases)
    {
        var byName = new Dictionary<string, TestCaseResult>(cases.Count, StringComparer.Ordinal);
        foreach (var testCase in cases)
        {
            byName[testCase.Name] = byName.TryGetValue(testCase.Name, out var seen)
                ? (Rank(testCase.Outcome) > Rank(seen.Outcome) ? testCase : seen) with { DurationMs = seen.DurationMs + testCase.DurationMs }
                : testCase;
        }
        return [.. byName.Values];
    }

    private static int Rank(TestCaseOutcome outcome) => outcome switch
    {
        TestCaseOutcome.Failed => 2,
        TestCaseOutcome.Passed => 1,
        _ => 0,
    };
}
