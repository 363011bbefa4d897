using Dapper;
using LazyAf.Kernel.Db;

namespace LazyAf.Modules.Reports.Data;

/// <summary>A test of a repo with its totals and quarantine, as the history lists it.</summary>
internal sealed record TestRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Suite { get; init; } = "";
    public long Runs { get; init; }
    public long Passed { get; init; }
    public long Failed { get; init; }
    public long Skipped { get; init; }
    public string? LastOutcome { get; init; }
    public DateTimeOffset? LastRunAt { get; init; }
    public DateTimeOffset? LastFailedAt { get; init; }
    public string? LastFailedExecution { get; init; }
    public DateTimeOffset? FlakyAt { get; init; }
    public string? FlakyReason { get; init; }
    public string? QuarantinedBy { get; init; }
    public DateTimeOffset? QuarantinedAt { get; init; }

    /// <summary>Its newest results (at most 20), newest first, as <c>outcome:ms</c> joined by commas; one statement reads them with the page.</summary>
    public string? Recent { get; init; }

    /// <summary><see cref="Recent"/> parsed.</summary>
    public IReadOnlyList<RecentResult> RecentResults() =>
        Recent is null ? [] : [.. Recent.Split(',').Select(r => r.Split(':')).Select(p => new RecentResult(p[0], long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)))];
}

/// <summary>One result of a test.</summary>
internal sealed record TestResultRow
{
    public string ExecutionId { get; init; } = "";
    public string? RunId { get; init; }
    public string? Pipeline { get; init; }
    public string Step { get; init; } = "";
    public string Branch { get; init; } = "";
    public string? CommitSha { get; init; }
    public string Outcome { get; init; } = "";
    public long DurationMs { get; init; }
    public string? Message { get; init; }
    public DateTimeOffset FinishedAt { get; init; }
}

/// <summary>A recent result, for a test's median duration and trend.</summary>
internal sealed record RecentResult(string Outcome, long DurationMs);

/// <summary>Reads the test history.</summary>
internal sealed class TestQueries(IDatabase database)
{
    private const string Columns = """
        t.id AS Id, t.name AS Name, t.suite AS Suite, t.runs AS Runs, t.passed AS Passed, t.failed AS Failed, t.skipped AS Skipped,
        t.last_outcome AS LastOutcome, t.last_run_at AS LastRunAt, t.last_failed_at AS LastFailedAt, t.last_failed_execution AS LastFailedExecution,
        t.flaky_at AS FlakyAt, t.flaky_reason AS FlakyReason, q.quarantined_by AS QuarantinedBy, q.quarantined_at AS QuarantinedAt,
        (SELECT group_concat(outcome || ':' || duration_ms, ',')
         FROM (SELECT outcome, duration_ms FROM reports_test_results r
               WHERE r.test_id = t.id AND EXISTS (SELECT 1 FROM reports_step_runs s WHERE s.execution_id = r.execution_id)
               ORDER BY r.finished_at DESC LIMIT 20)) AS Recent
        FROM reports_tests t LEFT JOIN reports_quarantine q ON q.repo_id = t.repo_id AND q.name = t.name
        """;

    // The most failures first, then by name: the order of ix_reports_tests_failures, so a page costs its rows, not a sort.
    // A test with no runs yet is one of a report still being staged: it is not listed until its run is recorded.
    private const string SelectPage = $"""
        SELECT {Columns}
        WHERE t.repo_id = @RepoId AND t.runs > 0
        ORDER BY t.failed DESC, t.name
        LIMIT @Limit OFFSET @Offset
        """;

    private const string SelectFlakyPage = $"""
        SELECT {Columns}
        WHERE t.repo_id = @RepoId AND t.flaky_at >= @FlakySince AND t.runs > 0
        ORDER BY t.failed DESC, t.name
        LIMIT @Limit OFFSET @Offset
        """;

    private const string SelectByName = $"SELECT {Columns} WHERE t.repo_id = @RepoId AND t.name = @Name AND t.runs > 0";

    private const string SelectResults = """
        SELECT r.execution_id AS ExecutionId, s.run_id AS RunId, s.pipeline AS Pipeline, s.step AS Step, r.branch AS Branch, r.commit_sha AS CommitSha,
               r.outcome AS Outcome, r.duration_ms AS DurationMs, r.message AS Message, r.finished_at AS FinishedAt
        FROM reports_test_results r JOIN reports_step_runs s ON s.execution_id = r.execution_id
        WHERE r.test_id = @TestId AND r.finished_at < @Before
        ORDER BY r.finished_at DESC LIMIT @Limit
        """;

    public async Task<IReadOnlyList<TestRow>> PageAsync(string repoId, bool flakyOnly, DateTimeOffset flakySince, int limit, int offset, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<TestRow>(new CommandDefinition(flakyOnly ? SelectFlakyPage : SelectPage,
            new { RepoId = repoId, FlakySince = flakySince, Limit = limit, Offset = offset }, cancellationToken: ct))];
    }

    public async Task<TestRow?> FindAsync(string repoId, string name, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<TestRow>(new CommandDefinition(SelectByName, new { RepoId = repoId, Name = name }, cancellationToken: ct));
    }

    /// <summary>A test's results before <paramref name="before"/>, newest first.</summary>
    public async Task<IReadOnlyList<TestResultRow>> ResultsAsync(long testId, DateTimeOffset before, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<TestResultRow>(new CommandDefinition(SelectResults, new { TestId = testId, Before = before, Limit = limit }, cancellationToken: ct))];
    }
}
