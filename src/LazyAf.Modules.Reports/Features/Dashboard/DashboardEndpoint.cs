using LazyAf.Kernel.Http;
using LazyAf.Modules.Reports.Data;
using LazyAf.Modules.Reports.Domain;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Reports.Features.Dashboard;

/// <summary><c>GET /api/repos/{id}/dashboard?days=30</c>: a repo's CI health over the last days, ready to draw as charts.</summary>
internal static class DashboardEndpoint
{
    private const int MaxDays = 365;
    private const int TopTests = 10;

    public sealed record DayRuns(string Day, long Runs, long Passed, long Failed);

    public sealed record PipelineFigures(string Pipeline, int Runs, double? PassRate, double? MedianSeconds, double? P90Seconds);

    public sealed record TestFigure(string Name, long Runs, long Passed, long Failed, long AverageMs);

    public sealed record CoverageDay(string Day, double? LineRate, double? BranchRate);

    /// <summary>Runs per day and their pass rate, each pipeline's pass rate and median/p90 duration, the slowest and flakiest tests, the default branch's coverage per day.</summary>
    public sealed record DashboardResponse(int Days, IReadOnlyList<DayRuns> RunsPerDay, double? PassRate, IReadOnlyList<PipelineFigures> Pipelines,
        IReadOnlyList<TestFigure> SlowestTests, IReadOnlyList<TestFigure> FlakiestTests, IReadOnlyList<CoverageDay> Coverage);

    public static void MapDashboard(this IEndpointRouteBuilder repos) =>
        repos.MapGet("/{id}/dashboard", GetAsync)
            .WithName("GetDashboard")
            .WithSummary("A repo's CI health over the last ?days= (30): runs per day, pass rate, median and p90 duration per pipeline, slowest and flakiest tests, coverage trend");

    private static async Task<Results<Ok<DashboardResponse>, ValidationProblem, NotFoundProblem>> GetAsync(
        string id, int? days, IRepoCatalog repos, DashboardQueries queries, Flakiness flakiness, TimeProvider clock, CancellationToken ct)
    {
        if (days is < 1 or > MaxDays)
            return Problems.Invalid("days", $"days must be 1 to {MaxDays}.");
        if (await repos.FindAsync(id, ct) is not { } repo)
            return Problems.NotFound("repo", id);
        var now = clock.GetUtcNow();
        var span = days ?? 30;
        var (perDay, durations, slowest, flakiest, coverage) = await queries.ReadAsync(id, repo.DefaultBranch, now.AddDays(-span), flakiness.Since(now), TopTests, ct);
        var decided = perDay.Sum(d => d.Passed + d.Failed);
        return TypedResults.Ok(new DashboardResponse(span,
            [.. perDay.Select(d => new DayRuns(d.Day, d.Runs, d.Passed, d.Failed))],
            decided == 0 ? null : Math.Round((double)perDay.Sum(d => d.Passed) / decided, 4),
            [.. durations.GroupBy(r => r.Pipeline, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(Figures)],
            [.. slowest.Select(Figure)], [.. flakiest.Select(Figure)],
            [.. coverage.Select(c => new CoverageDay(c.Day, Rate(c.LinesCovered, c.LinesValid), Rate(c.BranchesCovered, c.BranchesValid)))]));
    }

    private static PipelineFigures Figures(IGrouping<string, RunDurationRow> runs)
    {
        var seconds = runs.Where(r => r.StartedAt is not null).Select(r => (r.FinishedAt - r.StartedAt!.Value).TotalSeconds).Order().ToList();
        var passed = runs.Count(r => r.State == "passed");
        return new PipelineFigures(runs.Key, runs.Count(), Math.Round((double)passed / runs.Count(), 4),
            seconds.Count == 0 ? null : Math.Round(seconds[seconds.Count / 2], 3),
            seconds.Count == 0 ? null : Math.Round(seconds[Math.Clamp((int)Math.Ceiling(0.9 * seconds.Count) - 1, 0, seconds.Count - 1)], 3));
    }

    private static TestFigure Figure(TestFigureRow t) => new(t.Name, t.Runs, t.Passed, t.Failed, t.Runs == 0 ? 0 : t.TotalMs / t.Runs);

    private static double? Rate(long covered, long valid) => valid == 0 ? null : Math.Round((double)covered / valid, 4);
}
