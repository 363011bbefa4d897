using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Reports.Data;
using LazyAf.Runner;
using Microsoft.Data.Sqlite;

namespace LazyAf.Modules.Reports.Domain;

/// <summary>
/// Which tests a run shows to be flaky: within <c>Reports:FlakyWindow</c>, one that both passed and failed on one commit,
/// or whose outcome on one branch changed <c>Reports:FlakyFlips</c> times. Only a test whose history holds the other
/// outcome can be one, so a run of tests that always passed asks the database nothing.
/// </summary>
internal sealed class Flakiness(TimeSpan window, int flips)
{
    /// <summary>The tests of <paramref name="cases"/> this run makes flaky, with why.</summary>
    public async Task<Dictionary<string, string>> JudgeAsync(SqliteConnection connection, SqliteTransaction? tx, StepTestRun run,
        IReadOnlyList<TestCaseResult> cases, IReadOnlyDictionary<string, KnownTest> known, CancellationToken ct)
    {
        var since = Since(run.FinishedAt);
        var flaky = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var testCase in cases)
        {
            if (!known.TryGetValue(testCase.Name, out var test) || !HadOpposite(test, testCase.Outcome))
                continue;
            var outcome = TestOutcomes.Of(testCase.Outcome);
            var opposite = outcome == TestOutcomes.Passed ? TestOutcomes.Failed : TestOutcomes.Passed;
            if (run.CommitSha is { } sha && await TestHistoryStore.HadOppositeOnCommitAsync(connection, tx, test.Id, sha, opposite, run.ExecutionId, since, ct))
            {
                flaky[testCase.Name] = $"passed and failed on commit {sha[..Math.Min(12, sha.Length)]}";
                continue;
            }
            var outcomes = await TestHistoryStore.OutcomesOnBranchAsync(connection, tx, test.Id, run.Branch, run.ExecutionId, since, ct);
            var changes = Changes([.. outcomes, outcome]);
            if (changes >= flips)
                flaky[testCase.Name] = $"changed between pass and fail {changes} times on {run.Branch} within {window.TotalDays:0.#} days";
        }
        return flaky;
    }

    /// <summary>Whether a test flagged at <paramref name="flaggedAt"/> is still flaky at <paramref name="now"/>.</summary>
    public bool StillFlaky(DateTimeOffset? flaggedAt, DateTimeOffset now) => flaggedAt is { } at && at >= Since(now);

    /// <summary>The start of the window that ends at <paramref name="now"/>.</summary>
    public DateTimeOffset Since(DateTimeOffset now) => now - window;

    private static bool HadOpposite(KnownTest test, TestCaseOutcome outcome) => outcome switch
    {
        TestCaseOutcome.Passed => test.Failed > 0,
        TestCaseOutcome.Failed => test.Passed > 0,
        _ => false,
    };

    private static int Changes(IReadOnlyList<string> outcomes) => outcomes.Zip(outcomes.Skip(1)).Count(pair => pair.First != pair.Second);
}
