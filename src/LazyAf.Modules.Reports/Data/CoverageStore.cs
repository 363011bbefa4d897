using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Modules.Execution.Contracts;

namespace LazyAf.Modules.Reports.Data;

/// <summary>The coverage of one step execution.</summary>
internal sealed record CoverageRow
{
    public string ExecutionId { get; init; } = "";
    public string Branch { get; init; } = "";
    public string? CommitSha { get; init; }
    public string? Pipeline { get; init; }
    public string Step { get; init; } = "";
    public string? RunId { get; init; }
    public long LinesCovered { get; init; }
    public long LinesValid { get; init; }
    public long BranchesCovered { get; init; }
    public long BranchesValid { get; init; }
    public DateTimeOffset FinishedAt { get; init; }
}

/// <summary>The <c>reports_coverage</c> table.</summary>
internal sealed class CoverageStore(IDatabase database)
{
    private const string Columns = """
        execution_id AS ExecutionId, branch AS Branch, commit_sha AS CommitSha, pipeline AS Pipeline, step AS Step, run_id AS RunId,
        lines_covered AS LinesCovered, lines_valid AS LinesValid, branches_covered AS BranchesCovered, branches_valid AS BranchesValid, finished_at AS FinishedAt
        """;

    private const string Insert = """
        INSERT INTO reports_coverage (execution_id, repo_id, branch, commit_sha, pipeline, step, run_id, lines_covered, lines_valid, branches_covered, branches_valid, finished_at)
        VALUES (@ExecutionId, @RepoId, @Branch, @CommitSha, @Pipeline, @Step, @RunId, @LinesCovered, @LinesValid, @BranchesCovered, @BranchesValid, @FinishedAt)
        ON CONFLICT DO NOTHING
        """;

    private const string SelectTrend = $"""
        SELECT {Columns} FROM reports_coverage
        WHERE repo_id = @RepoId AND (@Branch IS NULL OR branch = @Branch) AND (@Pipeline IS NULL OR pipeline = @Pipeline)
        ORDER BY finished_at DESC LIMIT @Limit
        """;

    private const string SelectOfExecution = $"SELECT {Columns} FROM reports_coverage WHERE execution_id = @ExecutionId";
    private const string SelectOfRun = $"SELECT {Columns} FROM reports_coverage WHERE run_id = @RunId ORDER BY finished_at DESC LIMIT 1";
    private const string SelectRepoOfExecution = "SELECT repo_id FROM reports_coverage WHERE execution_id = @ExecutionId";

    // The newest coverage of the same pipeline step on the base branch, before this one.
    private const string SelectBase = $"""
        SELECT {Columns} FROM reports_coverage
        WHERE repo_id = @RepoId AND branch = @Branch AND step = @Step AND pipeline IS @Pipeline AND finished_at < @Before AND execution_id <> @ExecutionId
        ORDER BY finished_at DESC LIMIT 1
        """;

    public static Task RecordAsync(WriteTransaction tx, StepTestRun run, CancellationToken ct) =>
        run.Coverage is not { } coverage
            ? Task.CompletedTask
            : tx.Connection.ExecuteAsync(new CommandDefinition(Insert, new
            {
                run.ExecutionId, run.RepoId, run.Branch, run.CommitSha, run.Pipeline, run.Step, run.RunId,
                coverage.LinesCovered, coverage.LinesValid, coverage.BranchesCovered, coverage.BranchesValid, run.FinishedAt,
            }, tx.Transaction, cancellationToken: ct));

    public async Task<IReadOnlyList<CoverageRow>> TrendAsync(string repoId, string? branch, string? pipeline, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<CoverageRow>(new CommandDefinition(SelectTrend,
            new { RepoId = repoId, Branch = branch, Pipeline = pipeline, Limit = limit }, cancellationToken: ct))];
    }

    /// <summary>An execution's coverage with the repo it belongs to; null when it reported none.</summary>
    public async Task<(CoverageRow Coverage, string RepoId)?> OfExecutionAsync(string executionId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<CoverageRow>(new CommandDefinition(SelectOfExecution, new { ExecutionId = executionId }, cancellationToken: ct));
        return row is null ? null : (row, await connection.ExecuteScalarAsync<string>(new CommandDefinition(SelectRepoOfExecution, new { ExecutionId = executionId }, cancellationToken: ct)) ?? "");
    }

    /// <summary>The newest coverage a pipeline run's steps reported; null when none did.</summary>
    public async Task<string?> ExecutionOfRunAsync(string runId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QuerySingleOrDefaultAsync<CoverageRow>(new CommandDefinition(SelectOfRun, new { RunId = runId }, cancellationToken: ct)))?.ExecutionId;
    }

    public async Task<CoverageRow?> BaseAsync(string repoId, string baseBranch, CoverageRow of, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<CoverageRow>(new CommandDefinition(SelectBase,
            new { RepoId = repoId, Branch = baseBranch, of.Step, of.Pipeline, Before = of.FinishedAt, of.ExecutionId }, cancellationToken: ct));
    }
}
