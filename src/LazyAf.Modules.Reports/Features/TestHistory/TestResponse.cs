using LazyAf.Modules.Reports.Data;
using LazyAf.Modules.Reports.Domain;

namespace LazyAf.Modules.Reports.Features.TestHistory;

/// <summary>A test of a repo over its history.</summary>
/// <param name="Name">Its full name (what <c>/api/repos/{id}/tests/{test}</c> and quarantine take).</param>
/// <param name="Suite">Its suite, from the newest report.</param>
/// <param name="Runs">Results recorded.</param>
/// <param name="Passed">Times it passed.</param>
/// <param name="Failed">Times it failed.</param>
/// <param name="Skipped">Times it was skipped.</param>
/// <param name="PassRate">Passed of passed and failed (0..1); null when it never ran to an outcome.</param>
/// <param name="LastOutcome"><c>passed</c>, <c>failed</c> or <c>skipped</c>.</param>
/// <param name="LastRunAt">When it last ran.</param>
/// <param name="LastFailedAt">When it last failed.</param>
/// <param name="LastFailedExecution">The execution it last failed in.</param>
/// <param name="MedianDurationMs">Median duration of its recent results.</param>
/// <param name="Recent">Its recent outcomes, newest first.</param>
/// <param name="Trend"><c>better</c>, <c>worse</c> or <c>steady</c>: its recent pass rate against the results before.</param>
/// <param name="Flaky">Whether it is flaky now.</param>
/// <param name="FlakyReason">Why it was judged flaky, the last time it was.</param>
/// <param name="Quarantine">Who quarantined it and when; null when it is not quarantined.</param>
internal sealed record TestResponse(
    string Name, string Suite, long Runs, long Passed, long Failed, long Skipped, double? PassRate, string? LastOutcome,
    DateTimeOffset? LastRunAt, DateTimeOffset? LastFailedAt, string? LastFailedExecution, long? MedianDurationMs,
    IReadOnlyList<string> Recent, string Trend, bool Flaky, string? FlakyReason, QuarantineMark? Quarantine)
{
    public static TestResponse From(TestRow row, Flakiness flakiness, DateTimeOffset now)
    {
        var recent = row.RecentResults();
        var decided = row.Passed + row.Failed;
        var durations = recent.Where(r => r.Outcome != TestOutcomes.Skipped).Select(r => r.DurationMs).Order().ToList();
        var flaky = flakiness.StillFlaky(row.FlakyAt, now);
        return new TestResponse(row.Name, row.Suite, row.Runs, row.Passed, row.Failed, row.Skipped,
            decided == 0 ? null : Math.Round((double)row.Passed / decided, 4), row.LastOutcome, row.LastRunAt, row.LastFailedAt, row.LastFailedExecution,
            durations.Count == 0 ? null : durations[durations.Count / 2], [.. recent.Select(r => r.Outcome)], TrendOf(recent),
            flaky, flaky ? row.FlakyReason : null,
            row.QuarantinedBy is { } by ? new QuarantineMark(by, row.QuarantinedAt!.Value) : null);
    }

    private static string TrendOf(IReadOnlyList<RecentResult> recent)
    {
        var half = recent.Count / 2;
        if (half == 0)
            return "steady";
        var newer = RateOf(recent.Take(half));
        var older = RateOf(recent.Skip(half));
        return newer is null || older is null || Math.Abs(newer.Value - older.Value) < 0.1 ? "steady" : newer > older ? "better" : "worse";
    }

    private static double? RateOf(IEnumerable<RecentResult> results)
    {
        var decided = results.Where(r => r.Outcome != TestOutcomes.Skipped).ToList();
        return decided.Count == 0 ? null : (double)decided.Count(r => r.Outcome == TestOutcomes.Passed) / decided.Count;
    }
}

/// <summary>Who quarantined a test and when.</summary>
/// <param name="By">The actor.</param>
/// <param name="At">When.</param>
internal sealed record QuarantineMark(string By, DateTimeOffset At);

/// <summary>One result of a test.</summary>
/// <param name="ExecutionId">The execution it ran in.</param>
/// <param name="RunId">The pipeline run, if it was a pipeline step.</param>
/// <param name="Pipeline">The pipeline, if any.</param>
/// <param name="Step">The step's id, or the kind of work (<c>card</c>).</param>
/// <param name="Branch">The branch built.</param>
/// <param name="CommitSha">The commit tested.</param>
/// <param name="Outcome"><c>passed</c>, <c>failed</c> or <c>skipped</c>.</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="Message">Its failure message (masked, capped).</param>
/// <param name="FinishedAt">When its step ended.</param>
internal sealed record TestRunResponse(string ExecutionId, string? RunId, string? Pipeline, string Step, string Branch, string? CommitSha,
    string Outcome, long DurationMs, string? Message, DateTimeOffset FinishedAt)
{
    public static TestRunResponse From(TestResultRow r) =>
        new(r.ExecutionId, r.RunId, r.Pipeline, r.Step, r.Branch, r.CommitSha, r.Outcome, r.DurationMs, r.Message, r.FinishedAt);
}

/// <summary>A test with its results, newest first.</summary>
/// <param name="Test">The test.</param>
/// <param name="Results">Its results; page with <c>?before=</c> the last one's <c>finished_at</c>.</param>
internal sealed record TestDetailResponse(TestResponse Test, IReadOnlyList<TestRunResponse> Results);
