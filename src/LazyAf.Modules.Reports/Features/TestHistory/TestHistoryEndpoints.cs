using LazyAf.Kernel.Http;
using LazyAf.Modules.Reports.Data;
using LazyAf.Modules.Reports.Domain;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Reports.Features.TestHistory;

/// <summary><c>GET /api/repos/{id}/tests</c> (every test with pass rate, trend, flakiness) and <c>GET /api/repos/{id}/tests/{test}</c> (its results).</summary>
internal static class TestHistoryEndpoints
{
    private const int MaxLimit = 1000;

    public static void MapTestHistory(this IEndpointRouteBuilder repos)
    {
        repos.MapGet("/{id}/tests", ListAsync)
            .WithName("ListTests")
            .WithSummary("A repo's tests: runs, pass rate, last failure, median duration, trend, flaky and quarantined (most failures first; ?flaky=true for the flaky ones)");
        repos.MapGet("/{id}/tests/{test}", GetAsync)
            .WithName("GetTest")
            .WithSummary("One test of a repo and its results, newest first (page with ?before=)");
    }

    private static async Task<Results<Ok<List<TestResponse>>, ValidationProblem, NotFoundProblem>> ListAsync(
        string id, bool? flaky, int? limit, int? offset, IRepoCatalog repos, TestQueries queries, Flakiness flakiness, TimeProvider clock, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
            return Problems.Invalid("limit", $"limit must be 1 to {MaxLimit}.");
        if (offset is < 0)
            return Problems.Invalid("offset", "offset must be 0 or more.");
        if (await repos.FindAsync(id, ct) is null)
            return Problems.NotFound("repo", id);
        var now = clock.GetUtcNow();
        var rows = await queries.PageAsync(id, flaky ?? false, flakiness.Since(now), limit ?? 100, offset ?? 0, ct);
        return TypedResults.Ok(rows.Select(r => TestResponse.From(r, flakiness, now)).ToList());
    }

    private static async Task<Results<Ok<TestDetailResponse>, ValidationProblem, NotFoundProblem>> GetAsync(
        string id, string test, DateTimeOffset? before, int? limit, IRepoCatalog repos, TestQueries queries, Flakiness flakiness, TimeProvider clock, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
            return Problems.Invalid("limit", $"limit must be 1 to {MaxLimit}.");
        if (await repos.FindAsync(id, ct) is null)
            return Problems.NotFound("repo", id);
        var name = Uri.UnescapeDataString(test);
        if (await queries.FindAsync(id, name, ct) is not { } row)
            return Problems.NotFound("test", name);
        var results = await queries.ResultsAsync(row.Id, before ?? DateTimeOffset.MaxValue, limit ?? 100, ct);
        return TypedResults.Ok(new TestDetailResponse(TestResponse.From(row, flakiness, clock.GetUtcNow()), [.. results.Select(TestRunResponse.From)]));
    }
}
