using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Reports.Domain;
using LazyAf.Runner;
using Microsoft.Data.Sqlite;

namespace LazyAf.Modules.Reports.Data;

/// <summary>Writes the test history: a step run, its tests' results and their running totals (<c>reports_step_runs</c>, <c>reports_tests</c>, <c>reports_test_results</c>).</summary>
internal sealed class TestHistoryStore(IDatabase database)
{
    private const string InsertRun = """
        INSERT INTO reports_step_runs (execution_id, repo_id, branch, commit_sha, pipeline, step, run_id, finished_at, total, passed, failed, skipped)
        VALUES (@ExecutionId, @RepoId, @Branch, @CommitSha, @Pipeline, @Step, @RunId, @FinishedAt, @Total, @Passed, @Failed, @Skipped)
        ON CONFLICT DO NOTHING
        """;

    private const string SelectKnown = """
        SELECT id AS Id, name AS Name, passed AS Passed, failed AS Failed, flaky_at AS FlakyAt FROM reports_tests WHERE repo_id = @RepoId
        """;

    // The tests this run could make flaky: those that failed before (its passes) and those that passed before among its
    // staged failures; a run of tests that always passed reads none of its tests in the write transaction.
    private const string SelectCandidates = """
        SELECT id AS Id, name AS Name, passed AS Passed, failed AS Failed, flaky_at AS FlakyAt FROM reports_tests
        WHERE repo_id = @RepoId
          AND (failed > 0 OR (passed > 0 AND id IN (SELECT test_id FROM reports_test_results WHERE execution_id = @ExecutionId AND outcome = 'failed')))
        """;

    private const string SelectRecorded = "SELECT EXISTS (SELECT 1 FROM reports_step_runs WHERE execution_id = @ExecutionId)";

    // What an earlier attempt to record the execution staged (the host stopped before its end was recorded), a batch at a time.
    private const string DeleteStaged = """
        DELETE FROM reports_test_results
        WHERE (test_id, finished_at, execution_id) IN
              (SELECT test_id, finished_at, execution_id FROM reports_test_results WHERE execution_id = @ExecutionId LIMIT @Limit)
        """;

    // A new test has no runs until a step run that has it is recorded: the history lists only tests with runs.
    private const string UpsertTest = """
        INSERT INTO reports_tests (repo_id, name, suite) VALUES (@RepoId, @Name, @Suite)
        ON CONFLICT (repo_id, name) DO UPDATE SET suite = excluded.suite WHERE suite <> excluded.suite
        """;

    private const string InsertResult = """
        INSERT INTO reports_test_results (test_id, finished_at, execution_id, branch, commit_sha, outcome, duration_ms, message)
        SELECT id, @FinishedAt, @ExecutionId, @Branch, @CommitSha, @Outcome, @DurationMs, @Message
        FROM reports_tests WHERE repo_id = @RepoId AND name = @Name
        ON CONFLICT DO NOTHING
        """;

    // One statement over the execution's staged results, in the transaction that records its step run. The failures
    // (and ix_reports_tests_failures, which holds their count) get a statement of their own, so a passing result's
    // update leaves that index alone.
    private const string UpdateTotals = """
        UPDATE reports_tests AS t
        SET runs = t.runs + 1,
            passed = t.passed + (r.outcome = 'passed'),
            skipped = t.skipped + (r.outcome = 'skipped'),
            total_ms = t.total_ms + r.duration_ms,
            last_outcome = r.outcome,
            last_run_at = r.finished_at
        FROM reports_test_results AS r
        WHERE r.execution_id = @ExecutionId AND t.id = r.test_id
        """;

    private const string UpdateFailures = """
        UPDATE reports_tests AS t
        SET failed = t.failed + 1, last_failed_at = r.finished_at, last_failed_execution = r.execution_id
        FROM reports_test_results AS r
        WHERE r.execution_id = @ExecutionId AND r.outcome = 'failed' AND t.id = r.test_id
        """;

    private const string UpdateFlaky = "UPDATE reports_tests SET flaky_at = @FlakyAt, flaky_reason = @FlakyReason WHERE id = @TestId";

    // A result counts once its step run is recorded; until then it is staged (see StageAsync).
    private const string Recorded = "EXISTS (SELECT 1 FROM reports_step_runs s WHERE s.execution_id = r.execution_id)";

    private const string SameCommitOpposite = $"""
        SELECT EXISTS (SELECT 1 FROM reports_test_results r
                       WHERE test_id = @TestId AND finished_at >= @Since AND commit_sha = @CommitSha AND outcome = @Opposite AND execution_id <> @ExecutionId AND {Recorded})
        """;

    private const string BranchOutcomes = $"""
        SELECT outcome FROM reports_test_results r
        WHERE test_id = @TestId AND finished_at >= @Since AND branch = @Branch AND outcome <> 'skipped' AND execution_id <> @ExecutionId AND {Recorded}
        ORDER BY finished_at
        """;

    private const string LastOnBranch = $"""
        SELECT outcome FROM reports_test_results r
        WHERE test_id = @TestId AND branch = @Branch AND outcome <> 'skipped' AND execution_id <> @ExecutionId AND {Recorded}
        ORDER BY finished_at DESC LIMIT 1
        """;

    /// <summary>The test's newest pass or fail on <paramref name="branch"/> other than in <paramref name="executionId"/>; null when it has none.</summary>
    public static Task<string?> LastOnBranchAsync(SqliteConnection connection, long testId, string branch, string executionId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(LastOnBranch, new { TestId = testId, Branch = branch, ExecutionId = executionId }, cancellationToken: ct));

    /// <summary>The repo's tests as ingest needs them, by name.</summary>
    public static async Task<Dictionary<string, KnownTest>> KnownAsync(SqliteConnection connection, SqliteTransaction? tx, string repoId, CancellationToken ct) =>
        (await connection.QueryAsync<KnownTest>(new CommandDefinition(SelectKnown, new { RepoId = repoId }, tx, cancellationToken: ct)))
            .ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The tests of the repo that the staged <paramref name="executionId"/> could show to be flaky, by name (see <see cref="SelectCandidates"/>).</summary>
    public static async Task<Dictionary<string, KnownTest>> FlakyCandidatesAsync(SqliteConnection connection, SqliteTransaction tx, string repoId, string executionId, CancellationToken ct) =>
        (await connection.QueryAsync<KnownTest>(new CommandDefinition(SelectCandidates, new { RepoId = repoId, ExecutionId = executionId }, tx, cancellationToken: ct)))
            .ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The repo's tests on a connection of its own, for judging before the run is recorded.</summary>
    public async Task<Dictionary<string, KnownTest>> KnownAsync(string repoId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await KnownAsync(connection, null, repoId, ct);
    }

    /// <summary>Whether the test had the other outcome on the same commit since <paramref name="since"/>.</summary>
    public static Task<bool> HadOppositeOnCommitAsync(SqliteConnection connection, SqliteTransaction? tx, long testId, string commitSha, string opposite, string executionId, DateTimeOffset since, CancellationToken ct) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(SameCommitOpposite,
            new { TestId = testId, Since = since, CommitSha = commitSha, Opposite = opposite, ExecutionId = executionId }, tx, cancellationToken: ct));

    /// <summary>The test's pass/fail outcomes on a branch since <paramref name="since"/>, oldest first.</summary>
    public static async Task<IReadOnlyList<string>> OutcomesOnBranchAsync(SqliteConnection connection, SqliteTransaction? tx, long testId, string branch, string executionId, DateTimeOffset since, CancellationToken ct) =>
        [.. await connection.QueryAsync<string>(new CommandDefinition(BranchOutcomes,
            new { TestId = testId, Since = since, Branch = branch, ExecutionId = executionId }, tx, cancellationToken: ct))];

    /// <summary>
    /// Stores every case of <paramref name="run"/> ahead of its step run, <paramref name="batch"/> cases per short write
    /// transaction, so other writers wait for one batch rather than for the whole report. What an earlier attempt staged
    /// is deleted first, so a second attempt (the host stopped, the runner sent it again) stores each case once. Nothing
    /// staged counts until <see cref="RecordAsync"/> records the step run; an execution recorded already stages nothing.
    /// </summary>
    public async Task StageAsync(StepTestRun run, IReadOnlyList<TestCaseResult> cases, int batch, CancellationToken ct)
    {
        await using (var connection = await database.OpenAsync(ct))
        {
            if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(SelectRecorded, new { run.ExecutionId }, cancellationToken: ct)))
                return;
        }
        while (await InBatchAsync(tx => tx.Connection.ExecuteAsync(new CommandDefinition(DeleteStaged, new { run.ExecutionId, Limit = batch }, tx.Transaction, cancellationToken: ct)), ct) == batch)
            await Task.Delay(BetweenBatches, ct);
        foreach (var (chunk, index) in cases.Chunk(batch).Select((chunk, index) => (chunk, index)))
        {
            if (index > 0)
                await Task.Delay(BetweenBatches, ct);
            var rows = chunk.Select(c => new
            {
                run.RepoId, c.Name, c.Suite, run.FinishedAt, run.ExecutionId, run.Branch, run.CommitSha,
                Outcome = TestOutcomes.Of(c.Outcome), c.DurationMs,
                Message = c.Message.Length > 0 ? c.Message : null,
            }).ToList();
            await InBatchAsync(async tx =>
            {
                await tx.Connection.ExecuteAsync(new CommandDefinition(UpsertTest, rows, tx.Transaction, cancellationToken: ct));
                return await tx.Connection.ExecuteAsync(new CommandDefinition(InsertResult, rows, tx.Transaction, cancellationToken: ct));
            }, ct);
        }
    }

    // A writer waiting for the lock polls for it (SQLite's busy handler, at most 100 ms apart): without a pause between
    // batches the next one takes the lock again first, and the writer waits for all of them.
    private static readonly TimeSpan BetweenBatches = TimeSpan.FromMilliseconds(110);

    private async Task<int> InBatchAsync(Func<WriteTransaction, Task<int>> write, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        var written = await write(tx);
        await tx.CommitAsync(ct);
        return written;
    }

    /// <summary>
    /// Records a step run, which makes the results <see cref="StageAsync"/> staged count, and adds them to their tests'
    /// totals; false (and nothing written) when the execution was recorded before. <paramref name="flaky"/> says which
    /// tests this run shows to be flaky, and why.
    /// </summary>
    public static async Task<bool> RecordAsync(WriteTransaction tx, StepTestRun run, IReadOnlyList<TestCaseResult> cases,
        IReadOnlyDictionary<string, KnownTest> known, IReadOnlyDictionary<string, string> flaky, CancellationToken ct)
    {
        var connection = tx.Connection;
        var inserted = await connection.ExecuteAsync(new CommandDefinition(InsertRun, new
        {
            run.ExecutionId, run.RepoId, run.Branch, run.CommitSha, run.Pipeline, run.Step, run.RunId, run.FinishedAt,
            Total = cases.Count,
            Passed = cases.Count(c => c.Outcome == TestCaseOutcome.Passed),
            Failed = cases.Count(c => c.Outcome == TestCaseOutcome.Failed),
            Skipped = cases.Count(c => c.Outcome == TestCaseOutcome.Skipped),
        }, tx.Transaction, cancellationToken: ct));
        if (inserted == 0)
            return false;
        await connection.ExecuteAsync(new CommandDefinition(UpdateTotals, new { run.ExecutionId }, tx.Transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(UpdateFailures, new { run.ExecutionId }, tx.Transaction, cancellationToken: ct));
        var flagged = flaky.Where(f => known.ContainsKey(f.Key))
            .Select(f => new { TestId = known[f.Key].Id, FlakyAt = run.FinishedAt, FlakyReason = f.Value }).ToList();
        if (flagged.Count > 0)
            await connection.ExecuteAsync(new CommandDefinition(UpdateFlaky, flagged, tx.Transaction, cancellationToken: ct));
        return true;
    }
}
