using Dapper;
using LazyAf.Kernel.Db;

namespace LazyAf.Modules.Reports.Data;

/// <summary>Runs ended on one day.</summary>
internal sealed record DayRow
{
    public string Day { get; init; } = "";
    public long Runs { get; init; }
    public long Passed { get; init; }
    public long Failed { get; init; }
}

/// <summary>An ended run of a pipeline, for its durations.</summary>
internal sealed record RunDurationRow
{
    public string Pipeline { get; init; } = "";
    public string State { get; init; } = "";
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset FinishedAt { get; init; }
}

/// <summary>A test with its average duration or its flakiness.</summary>
internal sealed record TestFigureRow
{
    public string Name { get; init; } = "";
    public long Runs { get; init; }
    public long Passed { get; init; }
    public long Failed { get; init; }
    public long TotalMs { get; init; }
}

/// <summary>Coverage of one day on a branch.</summary>
internal sealed record CoverageDayRow
{
    public string Day { get; init; } = "";
    public long LinesCovered { get; init; }
    public long LinesValid { get; init; }
    public long BranchesCovered { get; init; }
    public long BranchesValid { get; init; }
}

/// <summary>What the dashboard draws, read from Reports' own tables.</summary>
internal sealed class DashboardQueries(IDatabase database)
{
    private const string SelectDays = """
        SELECT substr(finished_at, 1, 10) AS Day, COUNT(*) AS Runs, SUM(state = 'passed') AS Passed, SUM(state = 'failed') AS Failed
        FROM reports_pipeline_runs WHERE repo_id = @RepoId AND finished_at >= @Since
        GROUP BY Day ORDER BY Day
        """;

    private const string SelectDurations = """
        SELECT pipeline AS Pipeline, state AS State, started_at AS StartedAt, finished_at AS FinishedAt
        FROM reports_pipeline_runs WHERE repo_id = @RepoId AND finished_at >= @Since AND state <> 'cancelled'
        """;

    private const string SelectSlowest = """
        SELECT name AS Name, runs AS Runs, passed AS Passed, failed AS Failed, total_ms AS TotalMs
        FROM reports_tests WHERE repo_id = @RepoId AND runs > 0 AND last_run_at >= @Since
        ORDER BY total_ms * 1.0 / runs DESC LIMIT @Limit
        """;

    // Flaky in the window; the more often it went each way, the flakier.
    private const string SelectFlakiest = """
        SELECT name AS Name, runs AS Runs, passed AS Passed, failed AS Failed, total_ms AS TotalMs
        FROM reports_tests WHERE repo_id = @RepoId AND flaky_at >= @FlakySince
        ORDER BY min(passed, failed) DESC, name LIMIT @Limit
        """;

    private const string SelectCoverage = """
        SELECT substr(finished_at, 1, 10) AS Day, SUM(lines_covered) AS LinesCovered, SUM(lines_valid) AS LinesValid,
               SUM(branches_covered) AS BranchesCovered, SUM(branches_valid) AS BranchesValid
        FROM reports_coverage c
        WHERE repo_id = @RepoId AND branch = @Branch AND finished_at >= @Since
          AND finished_at = (SELECT MAX(finished_at) FROM reports_coverage d WHERE d.repo_id = c.repo_id AND d.branch = c.branch
                             AND d.step = c.step AND d.pipeline IS c.pipeline AND substr(d.finished_at, 1, 10) = substr(c.finished_at, 1, 10))
        GROUP BY Day ORDER BY Day
        """;

    public async Task<(IReadOnlyList<DayRow> Days, IReadOnlyList<RunDurationRow> Durations, IReadOnlyList<TestFigureRow> Slowest, IReadOnlyList<TestFigureRow> Flakiest, IReadOnlyList<CoverageDayRow> Coverage)>
        ReadAsync(string repoId, string branch, DateTimeOffset since, DateTimeOffset flakySince, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var args = new { RepoId = repoId, Branch = branch, Since = since, FlakySince = flakySince, Limit = limit };
        CommandDefinition Command(string sql) => new(sql, args, cancellationToken: ct);
        return (
            [.. await connection.QueryAsync<DayRow>(Command(SelectDays))],
            [.. await connection.QueryAsync<RunDurationRow>(Command(SelectDurations))],
            [.. await connection.QueryAsync<TestFigureRow>(Command(SelectSlowest))],
            [.. await connection.QueryAsync<TestFigureRow>(Command(SelectFlakiest))],
            [.. await connection.QueryAsync<CoverageDayRow>(Command(SelectCoverage))]);
    }
}
