using LazyAf.Kernel.Db;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Reports.Data;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Runner;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Reports.Domain;

/// <summary>The test history as Execution sees it through <see cref="IStepTestHistory"/>: judges a finished step's tests, then records them with its coverage.</summary>
internal sealed class TestHistory(
    IDatabase database, TestHistoryStore store, QuarantineStore quarantine, Flakiness flakiness, IRepoCatalog repos, ILogger<TestHistory> logger) : IStepTestHistory
{
    // Enough failures to tell a fix step which are new; a run failing more than this is broken wholesale.
    private const int MaxClassified = 500;

    // Cases per write transaction while a report is staged: 100 to 300 ms of the write lock each on a busy machine.
    private const int StageBatch = 2_000;

    public async Task<TestVerdict> JudgeAsync(StepTestRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Cases.Count == 0)
            return TestVerdict.None;
        var cases = TestOutcomes.OnePerName(run.Cases);
        var quarantined = await quarantine.NamesAsync(run.RepoId, ct);
        var known = await store.KnownAsync(run.RepoId, ct);
        await using var connection = await database.OpenAsync(ct);
        var flaky = await flakiness.JudgeAsync(connection, null, run, cases, known, ct);
        var baseBranch = (await repos.FindAsync(run.RepoId, ct))?.DefaultBranch ?? run.Branch;
        var failingOnBase = new List<string>();
        foreach (var failed in cases.Where(c => c.Outcome == TestCaseOutcome.Failed && known.ContainsKey(c.Name)).Take(MaxClassified))
        {
            if (await TestHistoryStore.LastOnBranchAsync(connection, known[failed.Name].Id, baseBranch, run.ExecutionId, ct) == TestOutcomes.Failed)
                failingOnBase.Add(failed.Name);
        }
        return new TestVerdict(
            [.. cases.Where(c => c.Outcome == TestCaseOutcome.Failed && quarantined.Contains(c.Name)).Select(c => c.Name).Order(StringComparer.Ordinal)],
            [.. cases.Where(c => flaky.ContainsKey(c.Name) || (known.TryGetValue(c.Name, out var test) && flakiness.StillFlaky(test.FlakyAt, run.FinishedAt)))
                .Select(c => c.Name).Order(StringComparer.Ordinal)])
        {
            FailingOnBase = [.. failingOnBase.Order(StringComparer.Ordinal)],
        };
    }

    public async Task StageAsync(StepTestRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Cases.Count > 0)
            await store.StageAsync(run, TestOutcomes.OnePerName(run.Cases), StageBatch, ct);
    }

    public async Task RecordAsync(WriteTransaction tx, StepTestRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(run);
        await CoverageStore.RecordAsync(tx, run, ct);
        if (run.Cases.Count == 0)
            return;
        var cases = TestOutcomes.OnePerName(run.Cases);
        var known = await TestHistoryStore.FlakyCandidatesAsync(tx.Connection, tx.Transaction, run.RepoId, run.ExecutionId, ct);
        var flaky = await flakiness.JudgeAsync(tx.Connection, tx.Transaction, run, cases, known, ct);
        if (await TestHistoryStore.RecordAsync(tx, run, cases, known, flaky, ct))
            logger.LogInformation("Recorded {Cases} test results of execution {ExecutionId} in repo {RepoId}; {Flaky} newly flaky", cases.Count, run.ExecutionId, run.RepoId, flaky.Count);
    }
}
