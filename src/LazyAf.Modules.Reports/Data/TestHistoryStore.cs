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

    private const string InsertTest = "INSERT INTO reports_tests (repo_id, name, suite) VALUES (@RepoId, @Name, @Suite) RETURNING id";

    private const string InsertResult = """
        INSERT INTO reports_test_results (test_id, finished_at, execution_id, branch, commit_sha, outcome, duration_ms, message)
        VALUES (@TestId, @FinishedAt, @ExecutionId, @Branch, @CommitSha, @Outcome, @DurationMs, @Message)
        """;

    private const string UpdateTotals = """
        UPDATE reports_tests
        SET runs = runs + 1,
            passed = passed + (@Outcome = 'passed'),
            failed = failed + (@Outcome = 'failed'),
            skipped = skipped + (@Outcome = 'skipped'),
            total_ms = total_ms + @DurationMs,
            suite = @Suite,
            last_outcome = @Outcome,
            last_run_at = @FinishedAt,
            last_failed_at = CASE WHEN @Outcome = 'failed' THEN @FinishedAt ELSE last_failed_at END,
            last_failed_execution = CASE WHEN @Outcome = 'failed' THEN @ExecutionId ELSE last_failed_execution END,
            flaky_at = COALESCE(@FlakyAt, flaky_at),
            flaky_reason = COALESCE(@FlakyReason, flaky_reason)
        WHERE id = @TestId
        """;

    private const string SameCommitOpposite = """
        SELECT EXISTS (SELECT 1 FROM reports_test_results
                       WHERE test_id = @TestId AND finished_at >= @Since AND commit_sha = @CommitSha AND outcome = @Opposite AND execution_id <> @ExecutionId)
        """;

    private const string BranchOutcomes = """
        SELECT outcome FROM reports_test_results
        WHERE test_id = @TestId AND finished_at >= @Since AND branch = @Branch AND outcome <> 'skipped' AND execution_id <> @ExecutionId
        ORDER BY finished_at
        """;

    private const string LastOnBranch = """
        SELECT outcome FROM reports_test_results
        WHERE test_id = @TestId AND branch = @Branch AND outcome <> 'skipped' AND execution_id <> @ExecutionId
        ORDER BY finished_at DESC LIMIT 1
        """;

    /// <summary>The test's newest pass or fail on <paramref name="branch"/> other than in <paramref name="executionId"/>; null when it has none.</summary>
    public static Task<string?> LastOnBranchAsync(SqliteConnection connection, long testId, string branch, string executionId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(LastOnBranch, new { TestId = testId, Branch = branch, ExecutionId = executionId }, cancellationToken: ct));

    /// <summary>The repo's tests as ingest needs them, by name.</summary>
    public static async Task<Dictionary<string, KnownTest>> KnownAsync(SqliteConnection connection, SqliteTransaction? tx, string repoId, CancellationToken ct) =>
        (await connection.QueryAsync<KnownTest>(new CommandDefinition(SelectKnown, new { RepoId = repoId }, tx, cancellationToken: ct)))
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
    /// Records a step run with one result per test; false (and nothing written) when the execution was recorded before.
    /// <paramref name="flaky"/> says which tests this run shows to be flaky, and why.
    /// </summary>
    public static async Task<bool> RecordAsync(WriteTransaction tx, StepTestRun run, IReadOnlyList<TestCaseResult> cases,
        Dictionary<string, KnownTest> known, IReadOnlyDictionary<string, string> flaky, CancellationToken ct)
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

        foreach (var testCase in cases.Where(c => !known.ContainsKey(c.Name)))
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(InsertTest,
                new { run.RepoId, testCase.Name, testCase.Suite }, tx.Transaction, cancellationToken: ct));
            known[testCase.Name] = new KnownTest { Id = id, Name = testCase.Name };
        }

        var rows = cases.Select(c => new
        {
            TestId = known[c.Name].Id, run.FinishedAt, run.ExecutionId, run.Branch, run.CommitSha, c.Suite,
            Outcome = TestOutcomes.Of(c.Outcome), c.DurationMs,
            Message = c.Message.Length > 0 ? c.Message : null,
            FlakyAt = flaky.ContainsKey(c.Name) ? run.FinishedAt : (DateTimeOffset?)null,
            FlakyReason = flaky.GetValueOrDefault(c.Name),
        }).ToList();
        await connection.ExecuteAsync(new CommandDefinition(InsertResult, rows, tx.Transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(UpdateTotals, rows, tx.Transaction, cancellationToken: ct));
        return true;
    }
}
