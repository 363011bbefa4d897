using LazyAf.Kernel.Http;
using LazyAf.Modules.Reports.Data;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Reports.Features.Coverage;

/// <summary>
/// Coverage read from the Cobertura and lcov files steps wrote: a repo's trend (<c>/api/repos/{id}/coverage</c>), and a
/// step's or a pipeline run's with the change against its base, the newest earlier coverage of the same step on the
/// repo's default branch.
/// </summary>
internal static class CoverageEndpoints
{
    private const int MaxLimit = 1000;

    /// <summary>The coverage of one step.</summary>
    public sealed record CoveragePoint(string ExecutionId, string? RunId, string? Pipeline, string Step, string Branch, string? CommitSha,
        double? LineRate, double? BranchRate, long LinesCovered, long LinesValid, long BranchesCovered, long BranchesValid, DateTimeOffset FinishedAt)
    {
        public static CoveragePoint From(CoverageRow r) => new(r.ExecutionId, r.RunId, r.Pipeline, r.Step, r.Branch, r.CommitSha,
            Rate(r.LinesCovered, r.LinesValid), Rate(r.BranchesCovered, r.BranchesValid), r.LinesCovered, r.LinesValid, r.BranchesCovered, r.BranchesValid, r.FinishedAt);
    }

    /// <summary>A step's coverage and how it changed against its base (null when there is no base yet).</summary>
    public sealed record RunCoverage(CoveragePoint Coverage, CoveragePoint? Base, double? LineRateChange, double? BranchRateChange);

    public static void MapRepoCoverage(this IEndpointRouteBuilder repos) =>
        repos.MapGet("/{id}/coverage", TrendAsync)
            .WithName("GetCoverageTrend").WithSummary("A repo's coverage over time, newest first (?branch=, ?pipeline= to narrow it)");

    public static void MapExecutionCoverage(this IEndpointRouteBuilder executions) =>
        executions.MapGet("/{id}/coverage", (string id, IRepoCatalog repos, CoverageStore store, CancellationToken ct) => OfExecutionAsync(id, repos, store, ct))
            .WithName("GetExecutionCoverage").WithSummary("A step's line and branch coverage, with the change against its base branch");

    public static void MapRunCoverage(this IEndpointRouteBuilder runs) =>
        runs.MapGet("/{id}/coverage", async Task<Results<Ok<RunCoverage>, NotFoundProblem>> (string id, IRepoCatalog repos, CoverageStore store, CancellationToken ct) =>
                await store.ExecutionOfRunAsync(id, ct) is { } execution ? await OfExecutionAsync(execution, repos, store, ct) : Problems.NotFound("coverage of pipeline run", id))
            .WithName("GetRunCoverage").WithSummary("A pipeline run's coverage (its newest step that reported any), with the change against its base branch");

    private static async Task<Results<Ok<List<CoveragePoint>>, ValidationProblem, NotFoundProblem>> TrendAsync(
        string id, string? branch, string? pipeline, int? limit, IRepoCatalog repos, CoverageStore store, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
            return Problems.Invalid("limit", $"limit must be 1 to {MaxLimit}.");
        if (await repos.FindAsync(id, ct) is null)
            return Problems.NotFound("repo", id);
        return TypedResults.Ok((await store.TrendAsync(id, branch, pipeline, limit ?? 100, ct)).Select(CoveragePoint.From).ToList());
    }

    private static async Task<Results<Ok<RunCoverage>, NotFoundProblem>> OfExecutionAsync(string id, IRepoCatalog repos, CoverageStore store, CancellationToken ct)
    {
        if (await store.OfExecutionAsync(id, ct) is not (var coverage, var repoId))
            return Problems.NotFound("coverage of execution", id);
        var baseBranch = (await repos.FindAsync(repoId, ct))?.DefaultBranch ?? coverage.Branch;
        var point = CoveragePoint.From(coverage);
        var basePoint = await store.BaseAsync(repoId, baseBranch, coverage, ct) is { } found ? CoveragePoint.From(found) : null;
        return TypedResults.Ok(new RunCoverage(point, basePoint, Change(point.LineRate, basePoint?.LineRate), Change(point.BranchRate, basePoint?.BranchRate)));
    }

    private static double? Rate(long covered, long valid) => valid == 0 ? null : Math.Round((double)covered / valid, 4);

    private static double? Change(double? now, double? before) => now is { } a && before is { } b ? Math.Round(a - b, 4) : null;
}
